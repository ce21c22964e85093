package org.sparkgmm.init;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * The coordinates the k-means seeding runs in, {@code z_j = (x_j - m_j) / s_j}: standardised
 * ({@link #standardised}: {@code s_j} each feature's standard deviation) or isotropic
 * ({@link #isotropic}: one common scale), or whitened ({@link #whitened}: {@code z = L^-1 (x - m)},
 * for the hierarchical start). A feature without spread gets coordinate 0, a missing
 * value is taken at the mean. The random draws of the seeding are keyed by each row's squared norm
 * {@code |z|^2} rounded to float ({@link #key}), which the maps these coordinates take out (and,
 * for isotropic ones, rotations) do not change.
 */
public final class SeedingCoordinates implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int d;
  /** The data's mean as a data row plus an offset ({@link DataMoments#centre}): x - centre is exact. */
  private final double[] centre;
  private final double[] offset;
  /** Per-feature scale, 0 for a feature without a coordinate. */
  private final double[] sd;
  /**
   * Whitened coordinates: the lower Cholesky factor L (column-major) of the covariance, {@code z =
   * L^-1 (x - m)}, and {@code sd} all 1; null for the per-feature kinds.
   */
  private final double[] lower;

  private SeedingCoordinates(DataMoments moments, double[] sd) {
    this(moments, sd, null);
  }

  private SeedingCoordinates(DataMoments moments, double[] sd, double[] lower) {
    this.d = moments.dimension();
    this.centre = moments.centre();
    this.offset = moments.offset();
    for (int j = 0; j < d; j++) {
      if (Double.isNaN(offset[j])) { // a feature without values (refused before the seeding)
        offset[j] = 0.0;
        centre[j] = 0.0;
        sd[j] = 0.0;
      }
    }
    this.sd = sd;
    this.lower = lower;
  }

  /**
   * Standardised coordinates: {@code z_j = (x_j - m_j) / s_j}, what per-feature scales and shifts
   * do not change. A feature without spread gets coordinate 0.
   */
  public static SeedingCoordinates standardised(DataMoments moments) {
    int d = moments.dimension();
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      double v = moments.variance(j);
      sd[j] = v > 0.0 && !Double.isInfinite(v) ? Math.sqrt(v) : 0.0;
    }
    return new SeedingCoordinates(moments, sd);
  }

  /**
   * The data's own coordinates centred and divided by one common scale, the root of the mean
   * feature variance: what no rotation, uniform scale or shift changes.
   */
  public static SeedingCoordinates isotropic(DataMoments moments) {
    int d = moments.dimension();
    double sum = 0.0;
    int observed = 0;
    for (int j = 0; j < d; j++) {
      double v = moments.variance(j);
      if (v > 0.0 && !Double.isInfinite(v)) {
        sum += v;
        observed++;
      }
    }
    double[] sd = new double[d];
    java.util.Arrays.fill(sd, observed == 0 ? 1.0 : Math.sqrt(sum / d));
    return new SeedingCoordinates(moments, sd);
  }

  /**
   * Whitened coordinates, {@code z = L^-1 (x - m)} with {@code L L^T = covariance}: what no
   * invertible linear map and no shift changes, up to a rotation (which leaves distances, norms and
   * so the keys alone). Only complete rows have coordinates: a block's rows with a missing value
   * get weight 0.
   *
   * @param covariance column-major d x d, positive definite
   * @throws IllegalArgumentException if it is not positive definite
   */
  public static SeedingCoordinates whitened(DataMoments moments, double[] covariance) {
    int d = moments.dimension();
    double[] l = org.sparkgmm.linalg.Cholesky.lowerFactor(covariance, d);
    if (l == null) {
      throw new IllegalArgumentException("the covariance of the complete rows is not positive definite");
    }
    double[] ones = new double[d];
    java.util.Arrays.fill(ones, 1.0);
    return new SeedingCoordinates(moments, ones, l);
  }

  /** The number of features. */
  public int dimension() {
    return d;
  }

  /** How many coordinates carry data. */
  public int rank() {
    int r = 0;
    for (double s : sd) {
      r += s > 0.0 ? 1 : 0;
    }
    return r;
  }

  /** z of one row (NaN values at the mean; whitened: NaN where the row has a missing value). */
  public double[] apply(double[] x) {
    double[] z = new double[d];
    if (lower != null) {
      for (int i = 0; i < d; i++) {
        double v = (x[i] - centre[i]) - offset[i];
        for (int q = 0; q < i; q++) {
          v -= lower[q * d + i] * z[q];
        }
        z[i] = v / lower[i * d + i];
      }
      return z;
    }
    for (int i = 0; i < d; i++) {
      if (sd[i] > 0.0 && !Double.isNaN(x[i])) {
        z[i] = ((x[i] - centre[i]) - offset[i]) / sd[i];
      }
    }
    return z;
  }

  /** The row whose coordinates are z (a feature without a coordinate at its mean). */
  public double[] invert(double[] z) {
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      double v = sd[i] * z[i];
      if (lower != null) {
        v = 0.0;
        for (int q = 0; q <= i; q++) {
          v += lower[q * d + i] * z[q];
        }
      }
      x[i] = centre[i] + (offset[i] + v);
    }
    return x;
  }

  /**
   * A block of rows in these coordinates, weights and labels kept, each row keyed for random draws by its
   * squared norm rounded to float ({@link RowBlock#withKeys}).
   */
  public RowBlock apply(RowBlock block) {
    int n = block.rows();
    double[] values = new double[n * d];
    long[] keys = new long[n];
    double[] row = new double[d];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = block.value(i, j);
      }
      double[] z = apply(row);
      double norm = 0.0;
      boolean complete = true;
      for (int j = 0; j < d; j++) {
        if (Double.isNaN(z[j])) {
          z[j] = 0.0;
          complete = false;
        }
        values[j * n + i] = z[j];
        norm += z[j] * z[j];
      }
      keys[i] = key(norm);
      weights[i] = complete ? block.weight(i) : 0.0;
    }
    RowBlock out = RowBlock.of(n, d, values, weights).withKeys(keys);
    return block.labelled() ? out.withLabels(labels(block)) : out;
  }

  private static int[] labels(RowBlock block) {
    int[] labels = new int[block.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = block.label(i);
    }
    return labels;
  }

  /**
   * A row's key from its squared Mahalanobis norm, rounded to float: the same in any units (the
   * norm computed in other coordinates differs in the last bits of a double only).
   */
  static long key(double squaredNorm) {
    return Float.floatToIntBits((float) squaredNorm);
  }
}
