package org.sparkgmm.em;

import java.util.Arrays;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.distribution.NotPositiveDefiniteException;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * The M-step: new weights, means and covariances from merged statistics, as scikit-learn's
 * {@code _estimate_gaussian_parameters} (maximum likelihood plus {@code reg_covar} on the diagonal).
 *
 * <p>With {@code delta_k = S1_k / N_k}: mean {@code mu_k = c_k + delta_k}; full covariance
 * {@code S2_k / N_k - delta_k delta_k^T + reg I}; tied {@code (sum_k S2_k - N_k delta_k delta_k^T) /
 * sum_k N_k + reg I}; diag the diagonal of the full one; spherical the mean of the diag one.
 */
public final class MStep {
  private MStep() {}

  /**
   * Returns the model maximising the expected complete-data log-likelihood.
   *
   * @param previous supplies the feature names (its means are the statistics' centres)
   * @throws IllegalStateException naming the component and the cure when a component received no
   *     responsibility at all, or its covariance is not positive definite even with {@code regCovar}
   */
  public static GaussianMixtureModel update(GaussianMixtureModel previous, GaussianStatistics s, double regCovar) {
    int k = s.components();
    int d = s.dimension();
    CovarianceType type = s.covarianceType();
    double total = 0.0;
    for (int c = 0; c < k; c++) {
      total += s.weightSum(c);
    }
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] deltas = new double[k][];
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    for (int c = 0; c < k; c++) {
      double nk = s.weightSum(c);
      if (!(nk > 0.0)) {
        throw new IllegalStateException("Component " + c + " received no responsibility (its weight collapsed to 0):"
            + " use fewer components or another seed");
      }
      weights[c] = nk / total;
      double[] delta = s.firstMoment(c);
      double[] mean = s.center(c);
      for (int j = 0; j < d; j++) {
        delta[j] /= nk;
        mean[j] += delta[j];
      }
      deltas[c] = delta;
      means[c] = mean;
      switch (type) {
        case FULL -> {
          double[] m = centredCovariance(s.secondMoment(c), delta, nk, d);
          System.arraycopy(m, 0, cov, c * d * d, d * d);
        }
        case DIAG, SPHERICAL -> {
          double[] s2 = s.secondMoment(c);
          double avg = 0.0;
          for (int j = 0; j < d; j++) {
            double v = s2[j] / nk - delta[j] * delta[j] + regCovar;
            avg += v;
            if (type == CovarianceType.DIAG) {
              cov[c * d + j] = v;
            }
          }
          if (type == CovarianceType.SPHERICAL) {
            cov[c] = avg / d;
          }
        }
        case TIED -> { }
        default -> throw new IllegalStateException("Unhandled covariance type " + type);
      }
    }
    if (type == CovarianceType.TIED) {
      double[] sum = s.secondMoment(0);
      for (int c = 0; c < k; c++) {
        double nk = s.weightSum(c);
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            sum[b * d + a] -= nk * deltas[c][a] * deltas[c][b];
          }
        }
      }
      for (int i = 0; i < sum.length; i++) {
        cov[i] = sum[i] / total;
      }
    }
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      int blocks = type == CovarianceType.FULL ? k : 1;
      for (int c = 0; c < blocks; c++) {
        for (int j = 0; j < d; j++) {
          cov[c * d * d + j * d + j] += regCovar;
        }
      }
    }
    try {
      return GaussianMixtureModel.of(weights, Gaussians.of(type, means, cov), previous.features());
    } catch (NotPositiveDefiniteException e) {
      throw new IllegalStateException(e.getMessage() + " after adding reg_covar=" + regCovar
          + ": increase reg_covar, use fewer components, or drop features that are constant"
          + " or combinations of others", e);
    }
  }

  private static double[] centredCovariance(double[] s2, double[] delta, double nk, int d) {
    double[] m = Arrays.copyOf(s2, s2.length);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        m[b * d + a] = m[b * d + a] / nk - delta[a] * delta[b];
      }
    }
    return m;
  }
}
