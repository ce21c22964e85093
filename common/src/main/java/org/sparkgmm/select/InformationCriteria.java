package org.sparkgmm.select;

/**
 * Bayesian and Akaike information criteria as scikit-learn defines them for GaussianMixture:
 * {@code BIC = -2 n L + p ln n} and {@code AIC = -2 n L + 2 p}, with {@code L} the mean
 * log-likelihood per row, {@code n} the number of rows (total weight) and {@code p} the number of
 * free parameters. Lower is better.
 */
public final class InformationCriteria {
  private InformationCriteria() {}

  /**
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static double bic(double meanLogLikelihood, double n, long parameters) {
    requirePositive(n);
    return -2.0 * meanLogLikelihood * n + parameters * Math.log(n);
  }

  /**
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static double aic(double meanLogLikelihood, double n, long parameters) {
    requirePositive(n);
    return -2.0 * meanLogLikelihood * n + 2.0 * parameters;
  }

  private static void requirePositive(double n) {
    if (!(n > 0.0)) {
      throw new IllegalArgumentException("Information criteria need n > 0, got " + n);
    }
  }
}
