/**
 * Component families of a mixture and their block kernels. The E-step sees only
 * {@link org.sparkgmm.distribution.ComponentDensities}; the Gaussian is the one family today, with
 * level-3 BLAS as its fast path. No weights, statistics or EM control flow here.
 */
package org.sparkgmm.distribution;
