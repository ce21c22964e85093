package org.sparkgmm.init;

import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.component.GaussianPart;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.model.Mixture;
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
  public static Mixture probe(double[] center, List<String> features) {
    double[] ones = new double[center.length];
    java.util.Arrays.fill(ones, 1.0);
    return Mixture.gaussian(new double[] {1.0},
        Gaussians.of(CovarianceType.DIAG, new double[][] {center}, ones), features);
  }

  /**
   * Moments from the statistics of a probe pass.
   *
   * @throws IllegalArgumentException if the statistics are not a probe's or the total weight is not positive
   */
  public static DataMoments of(MixtureStatistics statistics) {
    if (statistics.groups() != 1) {
      throw new IllegalArgumentException("Moments need the statistics of a one-component diagonal probe");
    }
    GaussianStatistics probeStatistics = GaussianPart.statistics(statistics.group(0).part(0));
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
    // With missing values each feature's moments come from the rows where it is observed.
    double[] nj = probeStatistics.featureMass(0);
    double[] variances = new double[d];
    for (int j = 0; j < d; j++) {
      double m = nj == null ? n : nj[j];
      if (!(m > 0.0)) { // every row misses the feature: no moments (the caller names it)
        mean[j] = Double.NaN;
        variances[j] = Double.NaN;
        continue;
      }
      delta[j] /= m;
      mean[j] += delta[j];
      variances[j] = s2[j] / m - delta[j] * delta[j];
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
}
