/**
 * The Gaussian block kernels: {@link org.sparkgmm.distribution.Gaussians} evaluates k Gaussians
 * over a block of rows with level-3 BLAS (or one GEMM over quadratic features), for the four
 * {@link org.sparkgmm.distribution.CovarianceType}s. The engine reaches them through
 * {@link org.sparkgmm.component.GaussianPart}; no weights, statistics or EM control flow here.
 */
package org.sparkgmm.distribution;
