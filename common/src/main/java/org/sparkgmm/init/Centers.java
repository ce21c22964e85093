package org.sparkgmm.init;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * An immutable set of k points in d dimensions, with the nearest-centre kernel every k-means step
 * uses. Distances are computed from differences (not {@code |x|^2 - 2 x.c + |c|^2}), so data far from
 * the origin keep their precision.
 */
public final class Centers implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final int d;
  /** Centre c's feature j at {@code c * d + j}. */
  private final double[] values;

  private Centers(int k, int d, double[] values) {
    this.k = k;
    this.d = d;
    this.values = values;
  }

  /**
   * Copies the given points.
   *
   * @param d the dimension (needed when {@code points} is empty)
   * @throws IllegalArgumentException when a point does not have d finite values
   */
  public static Centers of(double[][] points, int d) {
    double[] v = new double[points.length * d];
    for (int c = 0; c < points.length; c++) {
      if (points[c].length != d) {
        throw new IllegalArgumentException("Centre " + c + " has " + points[c].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(points[c][j])) {
          throw new IllegalArgumentException("Centre " + c + " has a non-finite value");
        }
      }
      System.arraycopy(points[c], 0, v, c * d, d);
    }
    return new Centers(points.length, d, v);
  }

  /** Number of centres. */
  public int size() {
    return k;
  }

  /** Dimension. */
  public int dimension() {
    return d;
  }

  /** Centre c, a copy. */
  public double[] center(int c) {
    double[] r = new double[d];
    System.arraycopy(values, c * d, r, 0, d);
    return r;
  }

  /** Feature j of centre c. */
  public double valueAt(int c, int j) {
    return values[c * d + j];
  }

  /** All centres as rows, copies. */
  public double[][] points() {
    double[][] p = new double[k][];
    for (int c = 0; c < k; c++) {
      p[c] = center(c);
    }
    return p;
  }

  /**
   * For every row of the block, the squared Euclidean distance to the nearest centre and its index
   * (the lowest index among equals). With no centres the distance is {@code +inf} and the index -1.
   *
   * @param distance at least {@code rows} doubles, overwritten
   * @param index at least {@code rows} ints, overwritten
   * @param scratch at least {@code rows} doubles, overwritten
   */
  public void nearest(RowBlock block, double[] distance, int[] index, double[] scratch) {
    if (block.hasMissing()) {
      nearestPartial(block, distance, index);
      return;
    }
    int n = block.rows();
    double[] x = block.columnMajorValues();
    java.util.Arrays.fill(distance, 0, n, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(index, 0, n, -1);
    for (int c = 0; c < k; c++) {
      java.util.Arrays.fill(scratch, 0, n, 0.0);
      for (int j = 0; j < d; j++) {
        double cj = values[c * d + j];
        int col = j * n;
        for (int i = 0; i < n; i++) {
          double z = x[col + i] - cj;
          scratch[i] += z * z;
        }
      }
      for (int i = 0; i < n; i++) {
        if (scratch[i] < distance[i]) {
          distance[i] = scratch[i];
          index[i] = c;
        }
      }
    }
  }

  /**
   * Rows with missing values: the partial distance over the observed features, scaled by
   * {@code d / observed} so that it estimates the full squared distance (Dixon, 1979). A row with
   * nothing observed is at distance 0 from centre 0.
   */
  private void nearestPartial(RowBlock block, double[] distance, int[] index) {
    int n = block.rows();
    java.util.Arrays.fill(distance, 0, n, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(index, 0, n, -1);
    for (int i = 0; i < n; i++) {
      int seen = 0;
      for (int j = 0; j < d; j++) {
        seen += Double.isNaN(block.value(i, j)) ? 0 : 1;
      }
      if (k > 0 && seen == 0) {
        distance[i] = 0.0;
        index[i] = 0;
        continue;
      }
      double scale = (double) d / seen;
      for (int c = 0; c < k; c++) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
          double z = block.value(i, j) - values[c * d + j];
          if (z == z) {
            s += z * z;
          }
        }
        s *= scale;
        if (s < distance[i]) {
          distance[i] = s;
          index[i] = c;
        }
      }
    }
  }

  /**
   * A row as a centre: its missing (NaN) values replaced by {@code fill} (the data means).
   *
   * @return {@code row} itself when it is complete, else a completed copy
   */
  public static double[] completed(double[] row, double[] fill) {
    double[] out = row;
    for (int j = 0; j < row.length; j++) {
      if (Double.isNaN(row[j])) {
        if (out == row) {
          out = row.clone();
        }
        out[j] = fill[j];
      }
    }
    return out;
  }
}
