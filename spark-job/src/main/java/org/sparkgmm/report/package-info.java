/**
 * What people look at: charts drawn with JFreeChart as self-contained SVG files. No fitting and
 * no Spark here; callers hand in plain numbers.
 */
package org.sparkgmm.report;
