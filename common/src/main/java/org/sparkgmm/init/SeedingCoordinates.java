package org.sparkgmm.init;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * The coordinates the k-means seeding runs in, {@code z = L^-1 D^-1/2 (x - m)} with L lower
 * triangular: standardised ({@link #standardised}: {@code D} the feature variances, {@code L = I})
 * or isotropic ({@link #isotropic}: one common variance). A feature without spread gets coordinate
 * 0, a missing value is taken at the mean. The random draws of the seeding are keyed by each row's
 * squared norm {@code |z|^2} rounded to float ({@link #key}), which the maps these coordinates take
 * out (and rotations) do not change.
 */
public final class SeedingCoordinates implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int d;
  /** The data's mean as a data row plus an offset ({@link DataMoments#centre}): x - centre is exact. */
  private final double[] centre;
  private final double[] mean;
  /** Per-feature standard deviation, 0 for a feature without a coordinate. */
  private final double[] sd;
  /** Lower Cholesky factor of the correlation matrix, row-major; zero rows for dropped features. */
  private final double[] l;
  private final boolean[] kept;

  private SeedingCoordinates(int d, double[] centre, double[] mean, double[] sd, double[] l, boolean[] kept) {
    this.d = d;
    this.centre = centre;
    this.mean = mean;
    this.sd = sd;
    this.l = l;
    this.kept = kept;
  }

  /**
   * Standardised coordinates: {@code z_j = (x_j - m_j) / s_j} ({@code L = I}), what per-feature
   * scales and shifts do not change. A feature without spread gets coordinate 0.
   */
  public static SeedingCoordinates standardised(DataMoments moments) {
    int d = moments.dimension();
    double[] centre = moments.centre();
    double[] mean = moments.offset(); // the mean, as an offset from centre
    double[] sd = new double[d];
    boolean[] kept = new boolean[d];
    double[] l = new double[d * d];
    for (int j = 0; j < d; j++) {
      double v = moments.variance(j);
      if (Double.isNaN(mean[j])) {
        mean[j] = 0.0;
        centre[j] = 0.0;
      } else if (v > 0.0 && !Double.isInfinite(v)) {
        sd[j] = Math.sqrt(v);
        kept[j] = true;
        l[j * d + j] = 1.0;
      }
    }
    return new SeedingCoordinates(d, centre, mean, sd, l, kept);
  }

  /**
   * The data's own coordinates centred and divided by one common scale, the root of the mean
   * feature variance ({@code L = I}): what no rotation, uniform scale or shift changes.
   */
  public static SeedingCoordinates isotropic(DataMoments moments) {
    int d = moments.dimension();
    double[] centre = moments.centre();
    double[] mean = moments.offset(); // the mean, as an offset from centre

    double sum = 0.0;
    int observed = 0;
    for (int j = 0; j < d; j++) {
      if (Double.isNaN(mean[j])) {
        mean[j] = 0.0;
        centre[j] = 0.0;
      } else if (moments.variance(j) > 0.0 && !Double.isInfinite(moments.variance(j))) {
        sum += moments.variance(j);
        observed++;
      }
    }
    double scale = observed == 0 ? 1.0 : Math.sqrt(sum / d);
    double[] sd = new double[d];
    boolean[] kept = new boolean[d];
    double[] l = new double[d * d];
    for (int j = 0; j < d; j++) {
      sd[j] = scale;
      kept[j] = true;
      l[j * d + j] = 1.0;
    }
    return new SeedingCoordinates(d, centre, mean, sd, l, kept);
  }

  /** The number of features. */
  public int dimension() {
    return d;
  }

  /** How many coordinates carry data (features with spread). */
  public int rank() {
    int r = 0;
    for (boolean k : kept) {
      r += k ? 1 : 0;
    }
    return r;
  }

  /** z of one row (NaN values at the mean). */
  public double[] apply(double[] x) {
    double[] z = new double[d];
    for (int i = 0; i < d; i++) {
      if (!kept[i]) {
        continue;
      }
      double u = Double.isNaN(x[i]) ? 0.0 : ((x[i] - centre[i]) - mean[i]) / sd[i];
      for (int p = 0; p < i; p++) {
        u -= l[i * d + p] * z[p];
      }
      z[i] = u / l[i * d + i];
    }
    return z;
  }

  /** The row whose coordinates are z ({@code m + D^1/2 L z}; a dropped feature at its mean). */
  public double[] invert(double[] z) {
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      double u = 0.0;
      for (int p = 0; p <= i; p++) {
        u += l[i * d + p] * z[p];
      }
      x[i] = centre[i] + (mean[i] + sd[i] * u);
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
      for (int j = 0; j < d; j++) {
        values[j * n + i] = z[j];
        norm += z[j] * z[j];
      }
      keys[i] = key(norm);
      weights[i] = block.weight(i);
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
