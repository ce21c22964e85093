package org.sparkgmm.init;

import java.util.List;
import org.sparkgmm.component.GaussianPart;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * Weighted mean and per-feature variance of the whole data set, from one statistics pass of a
 * one-component diagonal {@link #probe probe model} (responsibility 1 for every row); each
 * feature's moments count only the rows where it is observed. The probe is centred at a data row,
 * so the moments keep their precision for data far from the origin: the mean is kept as that row
 * plus an offset. They start the seeding ({@link SeedingCoordinates}) and scale the regularisation
 * ({@link org.sparkgmm.component.Regularisation#relative}).
 */
public final class DataMoments implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int d;
  private final double[] mean;
  /** The probe's centre (a data row) and the mean's offset from it, which keeps full precision. */
  private final double[] centre;
  private final double[] offset;
  private final double[] variances;

  private DataMoments(int d, double[] centre, double[] offset, double[] mean, double[] variances) {
    this.d = d;
    this.centre = centre;
    this.offset = offset;
    this.mean = mean;
    this.variances = variances;
  }

  /**
   * Two passes: one data row (drawn by its hash, so the same one wherever the rows are) to centre
   * the probe at, then the moments.
   */
  public static DataMoments measure(DataPass pass, List<String> features) {
    int d = features.size();
    double[] centre = Centers.completed(DistributedKMeans.firstRows(pass, d, new long[] {0L}).get(0), new double[d]);
    return measure(pass, centre, features);
  }

  /** One pass: the moments, the probe centred at {@code centre}. */
  public static DataMoments measure(DataPass pass, double[] centre, List<String> features) {
    return of(pass.run("init: data moments",
        EmAccumulator.forStatisticsIgnoringLabels(pass.share(probe(centre, features)))).statistics());
  }

  /** A one-component diagonal model to gather moments with: mean {@code center}, unit variances. */
  static Mixture probe(double[] center, List<String> features) {
    double[] ones = new double[center.length];
    java.util.Arrays.fill(ones, 1.0);
    return Mixture.gaussian(new double[] {1.0}, Gaussians.of(CovarianceType.DIAG, new double[][] {center}, ones),
        features);
  }

  /**
   * Moments from the statistics of a probe pass.
   *
   * @throws IllegalArgumentException if the statistics are not a probe's or the total weight is not positive
   */
  static DataMoments of(MixtureStatistics statistics) {
    if (statistics.groups() != 1) {
      throw new IllegalArgumentException("Moments need the statistics of a one-component diagonal probe");
    }
    GaussianStatistics probe = GaussianPart.statistics(statistics.group(0).part(0));
    if (probe.components() != 1 || probe.covarianceType() != CovarianceType.DIAG) {
      throw new IllegalArgumentException("Moments need the statistics of a one-component diagonal probe");
    }
    int d = probe.dimension();
    double n = probe.weightSum(0);
    if (!(n > 0.0)) {
      throw new IllegalArgumentException("The data have zero total weight");
    }
    double[] delta = probe.firstMoment(0);
    double[] centre = probe.center(0);
    double[] mean = centre.clone();
    double[] s2 = probe.secondMoment(0);
    double[] nj = probe.featureMass(0);
    double[] variances = new double[d];
    for (int j = 0; j < d; j++) {
      double m = nj == null ? n : nj[j];
      if (!(m > 0.0)) { // every row misses the feature: no moments (the caller names it)
        mean[j] = Double.NaN;
        delta[j] = Double.NaN;
        variances[j] = Double.NaN;
        continue;
      }
      delta[j] /= m;
      mean[j] += delta[j];
      variances[j] = s2[j] / m - delta[j] * delta[j];
    }
    return new DataMoments(d, centre, delta, mean, variances);
  }

  /** The number of features. */
  public int dimension() {
    return d;
  }

  /** The weighted mean, a copy. */
  public double[] mean() {
    return mean.clone();
  }

  /**
   * The data row the moments were gathered about, a copy: {@code mean = centre + offset}, the
   * offset exact to the last bits even for data far from the origin.
   */
  public double[] centre() {
    return centre.clone();
  }

  /** The mean's offset from {@link #centre}, a copy (NaN for a feature without values). */
  public double[] offset() {
    return offset.clone();
  }

  /** The weighted (maximum-likelihood) feature variances, a copy (NaN for a feature without values). */
  public double[] variances() {
    return variances.clone();
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
