/**
 * The Spark ML Pipeline stage: {@link org.sparkgmm.ml.SparkGmm} (an Estimator) and
 * {@link org.sparkgmm.ml.SparkGmmModel} (its Model), saved and loaded through Spark ML's
 * writer and reader. They reuse the fit job's engine; no math here.
 */
package org.sparkgmm.ml;
