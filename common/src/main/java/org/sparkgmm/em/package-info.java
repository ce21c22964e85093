/**
 * Expectation-maximisation: the block E-step accumulator, the M-step (with the parameters it may
 * change and the re-seeding of collapsed components) and the loop with its convergence test, for
 * one start or several sharing every pass. Knows nothing of Spark: the data are reached through a
 * {@link org.sparkgmm.data.DataPass}.
 */
package org.sparkgmm.em;
