package org.sparkgmm.init;

import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.stats.GaussianStatistics;
import java.util.List;

/**
 * Weighted mean and per-feature variance of the whole data set, from one statistics pass of a
 * one-component diagonal {@link #probe probe model} (responsibility 1 for every row). The probe is
 * centred at a data row, so the moments keep their precision for data far from the origin.
 */
public final class DataMoments {
  private final int d;
  private final double[] mean;
  private final double[] variances;

  private DataMoments(int d, double[] mean, double[] variances) {
    this.d = d;
    this.mean = mean;
    this.variances = variances;
  }

  /** A one-component diagonal model to gather moments with: mean {@code center}, unit variances. */
  public static GaussianMixtureModel probe(double[] center, List<String> features) {
    double[] ones = new double[center.length];
    java.util.Arrays.fill(ones, 1.0);
    return GaussianMixtureModel.of(new double[] {1.0},
        Gaussians.of(CovarianceType.DIAG, new double[][] {center}, ones), features);
  }

  /**
   * Moments from the statistics of a probe pass.
   *
   * @throws IllegalArgumentException if the statistics are not a probe's or the total weight is not positive
   */
  public static DataMoments of(GaussianStatistics probeStatistics) {
    if (probeStatistics.components() != 1 || probeStatistics.covarianceType() != CovarianceType.DIAG) {
      throw new IllegalArgumentException("Moments need the statistics of a one-component diagonal probe");
    }
    int d = probeStatistics.dimension();
    double n = probeStatistics.weightSum(0);
    if (!(n > 0.0)) {
      throw new IllegalArgumentException("The data have zero total weight");
    }
    double[] delta = probeStatistics.firstMoment(0);
    double[] mean = probeStatistics.center(0);
    double[] s2 = probeStatistics.secondMoment(0);
    double[] variances = new double[d];
    for (int j = 0; j < d; j++) {
      delta[j] /= n;
      mean[j] += delta[j];
      variances[j] = s2[j] / n - delta[j] * delta[j];
    }
    return new DataMoments(d, mean, variances);
  }

  /** The weighted mean, a copy. */
  public double[] mean() {
    return mean.clone();
  }

  /** The weighted (maximum-likelihood) variance of feature j. */
  public double variance(int j) {
    return variances[j];
  }

  /** The average of the feature variances. */
  public double meanVariance() {
    double s = 0.0;
    for (double v : variances) {
      s += v;
    }
    return s / d;
  }

  /**
   * A model whose one E-step assigns every row to its nearest mean (Euclidean): equal weights and
   * the isotropic covariance {@code s I} in the shape of {@code type}, with {@code s} a millionth of
   * the average feature variance, so responsibilities are one-hot up to exact ties. The M-step on
   * its statistics gives scikit-learn's {@code random_from_data} start: weights, means and
   * covariances of the nearest-row partition.
   *
   * @throws IllegalArgumentException if the average variance is not positive
   */
  public GaussianMixtureModel nearestMeanAssigner(double[][] means, CovarianceType type, List<String> features) {
    int k = means.length;
    double avgVariance = meanVariance();
    if (!(avgVariance > 0.0)) {
      throw new IllegalArgumentException("The data have no variance");
    }
    double s = 1e-6 * avgVariance;
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    switch (type) {
      case FULL -> {
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            cov[c * d * d + j * d + j] = s;
          }
        }
      }
      case TIED -> {
        for (int j = 0; j < d; j++) {
          cov[j * d + j] = s;
        }
      }
      case DIAG, SPHERICAL -> java.util.Arrays.fill(cov, s);
      default -> throw new IllegalStateException("Unhandled covariance type " + type);
    }
    double[] weights = new double[k];
    java.util.Arrays.fill(weights, 1.0 / k);
    return GaussianMixtureModel.of(weights, Gaussians.of(type, means, cov), features);
  }
}
