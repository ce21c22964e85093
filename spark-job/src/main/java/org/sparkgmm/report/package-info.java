/**
 * What people look at: the HTML report ({@code OUT/report/index.html}, one self-contained page)
 * and select's chart, drawn with JFreeChart as SVG. No fitting and no Spark here: callers hand in
 * the fitted model, the EM histories and a sample of rows.
 */
package org.sparkgmm.report;
