package org.sparkgmm.init;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.component.GaussianPart;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.data.AccumulatorList;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * Weighted mean, per-feature variances and covariance matrix of the whole data set, from one
 * statistics pass of two one-component probe models (responsibility 1 for every row): a diagonal
 * one, whose per-feature moments count only the rows where a feature is observed, and a full one
 * for the covariances. The probes are centred at a data row, so the moments keep their precision
 * for data far from the origin. With missing values the covariances are not measured (the full
 * probe would count its own imputations): the matrix is then diagonal.
 */
public final class DataMoments implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int d;
  private final double[] mean;
  private final double[] variances;
  private final double[] covariance;

  private DataMoments(int d, double[] mean, double[] variances, double[] covariance) {
    this.d = d;
    this.mean = mean;
    this.variances = variances;
    this.covariance = covariance;
  }

  /**
   * Two passes: one data row (drawn by its hash, so the same one wherever the rows are) to centre
   * the probes at, then the moments.
   */
  public static DataMoments measure(DataPass pass, List<String> features) {
    int d = features.size();
    double[] centre = Centers.completed(DistributedKMeans.firstRows(pass, d, new long[] {0L}).get(0), new double[d]);
    return measure(pass, centre, features);
  }

  /** One pass: the moments, the probes centred at {@code centre}. */
  public static DataMoments measure(DataPass pass, double[] centre, List<String> features) {
    List<EmAccumulator> probes = new ArrayList<>();
    probes.add(EmAccumulator.forStatisticsIgnoringLabels(pass.share(probe(centre, features, CovarianceType.DIAG))));
    probes.add(EmAccumulator.forStatisticsIgnoringLabels(pass.share(probe(centre, features, CovarianceType.FULL))));
    List<EmAccumulator> done = pass.run("init: data moments", AccumulatorList.of(probes)).items();
    return of(done.get(0).statistics(), done.get(1).statistics());
  }

  /** A one-component model to gather moments with: mean {@code center}, unit variances. */
  static Mixture probe(double[] center, List<String> features, CovarianceType type) {
    int d = center.length;
    double[] cov;
    if (type == CovarianceType.FULL) {
      cov = new double[d * d];
      for (int j = 0; j < d; j++) {
        cov[j * d + j] = 1.0;
      }
    } else {
      cov = new double[d];
      java.util.Arrays.fill(cov, 1.0);
    }
    return Mixture.gaussian(new double[] {1.0}, Gaussians.of(type, new double[][] {center}, cov), features);
  }

  /**
   * Moments from the statistics of the diagonal and the full probe.
   *
   * @throws IllegalArgumentException if the statistics are not the probes' or the total weight is not positive
   */
  static DataMoments of(MixtureStatistics diagonal, MixtureStatistics full) {
    GaussianStatistics probe = probeStatistics(diagonal, CovarianceType.DIAG);
    GaussianStatistics fullProbe = probeStatistics(full, CovarianceType.FULL);
    int d = probe.dimension();
    double n = probe.weightSum(0);
    if (!(n > 0.0)) {
      throw new IllegalArgumentException("The data have zero total weight");
    }
    double[] delta = probe.firstMoment(0);
    double[] mean = probe.center(0);
    double[] s2 = probe.secondMoment(0);
    // With missing values each feature's moments come from the rows where it is observed.
    double[] nj = probe.featureMass(0);
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
    double[] covariance = new double[d * d];
    if (nj == null) {
      double[] f1 = fullProbe.firstMoment(0);
      double[] f2 = fullProbe.secondMoment(0);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          covariance[a * d + b] = a == b ? variances[a] : f2[a * d + b] / n - f1[a] / n * (f1[b] / n);
        }
      }
    } else {
      for (int j = 0; j < d; j++) {
        covariance[j * d + j] = variances[j];
      }
    }
    return new DataMoments(d, mean, variances, covariance);
  }

  private static GaussianStatistics probeStatistics(MixtureStatistics statistics, CovarianceType type) {
    if (statistics.groups() != 1) {
      throw new IllegalArgumentException("Moments need the statistics of a one-component probe");
    }
    GaussianStatistics s = GaussianPart.statistics(statistics.group(0).part(0));
    if (s.components() != 1 || s.covarianceType() != type) {
      throw new IllegalArgumentException("Moments need the statistics of a one-component " + type + " probe");
    }
    return s;
  }

  /** The number of features. */
  public int dimension() {
    return d;
  }

  /** The weighted mean, a copy. */
  public double[] mean() {
    return mean.clone();
  }

  /** The weighted (maximum-likelihood) variance of feature j. */
  public double variance(int j) {
    return variances[j];
  }

  /**
   * The weighted (maximum-likelihood) covariance matrix, d x d row-major, a copy: diagonal when
   * the data have missing values.
   */
  public double[] covariance() {
    return covariance.clone();
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
