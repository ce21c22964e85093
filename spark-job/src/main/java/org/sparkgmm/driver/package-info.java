/**
 * The Spark side of a fit: session start-up, the distributed EM pass (broadcast + treeAggregate),
 * the starting model, and the job that orchestrates read, loop and write. No math here: every
 * formula lives in {@code common}.
 */
package org.sparkgmm.driver;
