package org.sparkgmm.init;

import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.stats.GaussianStatistics;
import java.util.List;

/**
 * Weighted mean and covariance of the whole data set, from one statistics pass of a one-component
 * {@link #probe probe model} (responsibility 1 for every row). The probe is centred at a data row,
 * so the moments keep their precision for data far from the origin.
 */
public final class DataMoments {
  private final int d;
  private final double weightSum;
  private final double[] mean;
  private final double[] covariance;
  private final boolean fullMatrix;

  private DataMoments(int d, double weightSum, double[] mean, double[] covariance, boolean fullMatrix) {
    this.d = d;
    this.weightSum = weightSum;
    this.mean = mean;
    this.covariance = covariance;
    this.fullMatrix = fullMatrix;
  }

  /**
   * A one-component model to gather moments with: mean {@code center}, identity covariance, full
   * when {@code type} needs cross-covariances (full, tied), diagonal otherwise.
   */
  public static GaussianMixtureModel probe(double[] center, CovarianceType type, List<String> features) {
    int d = center.length;
    boolean full = type == CovarianceType.FULL || type == CovarianceType.TIED;
    double[] cov = new double[full ? d * d : d];
    for (int j = 0; j < d; j++) {
      cov[full ? j * d + j : j] = 1.0;
    }
    return GaussianMixtureModel.of(new double[] {1.0},
        Gaussians.of(full ? CovarianceType.FULL : CovarianceType.DIAG, new double[][] {center}, cov), features);
  }

  /**
   * Moments from the statistics of a probe pass.
   *
   * @throws IllegalArgumentException if the total weight is not positive
   */
  public static DataMoments of(GaussianStatistics probeStatistics) {
    int d = probeStatistics.dimension();
    double n = probeStatistics.weightSum(0);
    if (!(n > 0.0)) {
      throw new IllegalArgumentException("The data have zero total weight");
    }
    double[] delta = probeStatistics.firstMoment(0);
    double[] mean = probeStatistics.center(0);
    for (int j = 0; j < d; j++) {
      delta[j] /= n;
      mean[j] += delta[j];
    }
    double[] s2 = probeStatistics.secondMoment(0);
    boolean full = probeStatistics.covarianceType() == CovarianceType.FULL;
    double[] cov = new double[s2.length];
    for (int a = 0; a < d; a++) {
      if (full) {
        for (int b = 0; b < d; b++) {
          cov[b * d + a] = s2[b * d + a] / n - delta[a] * delta[b];
        }
      } else {
        cov[a] = s2[a] / n - delta[a] * delta[a];
      }
    }
    return new DataMoments(d, n, mean, cov, full);
  }

  /** Total weight of the data. */
  public double weightSum() {
    return weightSum;
  }

  /** The weighted mean, a copy. */
  public double[] mean() {
    return mean.clone();
  }

  /** The weighted (maximum-likelihood) variance of feature j. */
  public double variance(int j) {
    return fullMatrix ? covariance[j * d + j] : covariance[j];
  }

  /**
   * Initial parameters with the given means: equal weights and the data covariance (in the
   * shape of {@code type}) plus {@code regCovar} for every component.
   *
   * @throws IllegalArgumentException if {@code type} needs a full covariance these moments lack
   */
  public GaussianMixtureModel modelWithMeans(double[][] means, CovarianceType type, double regCovar,
      List<String> features) {
    int k = means.length;
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    double avgVariance = 0.0;
    for (int j = 0; j < d; j++) {
      avgVariance += variance(j);
    }
    avgVariance /= d;
    if ((type == CovarianceType.FULL || type == CovarianceType.TIED) && !fullMatrix) {
      throw new IllegalArgumentException("A " + type + " start needs the full data covariance");
    }
    for (int c = 0; c < k; c++) {
      switch (type) {
        case FULL -> System.arraycopy(covariance, 0, cov, c * d * d, d * d);
        case TIED -> System.arraycopy(covariance, 0, cov, 0, d * d);
        case DIAG -> {
          for (int j = 0; j < d; j++) {
            cov[c * d + j] = variance(j);
          }
        }
        case SPHERICAL -> cov[c] = avgVariance;
        default -> throw new IllegalStateException("Unhandled covariance type " + type);
      }
    }
    int diagonals = switch (type) {
      case FULL -> k;
      case TIED -> 1;
      case DIAG, SPHERICAL -> 0;
    };
    for (int c = 0; c < diagonals; c++) {
      for (int j = 0; j < d; j++) {
        cov[c * d * d + j * d + j] += regCovar;
      }
    }
    if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
      for (int i = 0; i < cov.length; i++) {
        cov[i] += regCovar;
      }
    }
    double[] weights = new double[k];
    java.util.Arrays.fill(weights, 1.0 / k);
    return GaussianMixtureModel.of(weights, Gaussians.of(type, means, cov), features);
  }
}
