/**
 * Dense linear algebra over dev.ludovic.netlib BLAS/LAPACK: the implementation choice and the
 * Cholesky factorisation. Column-major arrays only; nothing here knows about mixtures or Spark.
 */
package org.sparkgmm.linalg;
