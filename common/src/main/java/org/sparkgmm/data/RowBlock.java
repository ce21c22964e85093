package org.sparkgmm.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A dense block of rows with optional per-row weights, the unit every kernel works on.
 *
 * <p>Values are column-major: feature {@code j} of row {@code i} is {@code values[j * rows + i]}, so a
 * block is directly a BLAS matrix with leading dimension {@code rows}. A block without weights
 * stands for unit weights and stores none, keeping the cached size at {@code rows * features * 8} bytes.
 *
 * <p>A missing value ({@code --missing marginalize}) is a NaN. A block knows whether it holds any
 * ({@link #hasMissing}), so the kernels keep their fast path for complete blocks and take a
 * per-pattern path only for blocks with holes; the Spark job packs complete and incomplete rows into
 * separate blocks.
 */
public final class RowBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The most values a block holds: 65,520 doubles, just under 512 KiB. The G1 collector stores an
   * array of half a region or more in whole regions of its own ("humongous"), and its regions are
   * 1 MiB on heaps under 4 GiB, so a 1 MiB block would take 2 MiB of heap: a cache sized by Spark's
   * estimate would fill twice the memory it was given.
   */
  public static final int MAX_VALUES = 65_520;

  /**
   * Rows per block for {@code features} features: {@code requested}, capped so that a block holds at
   * most {@link #MAX_VALUES} values (the cap rounded down to a multiple of 16, and at least 16 rows).
   */
  public static int rowsPerBlock(int requested, int features) {
    int cap = Math.max(16, MAX_VALUES / Math.max(1, features) / 16 * 16);
    return Math.max(1, Math.min(requested, cap));
  }

  private final int rows;
  private final int features;
  private final double[] values;
  private final double[] weights;
  /** Component index fixed for each row ({@code --label-col}), -1 for a free row; null when none is. */
  private final int[] labels;
  /** Whether some value is NaN (missing). */
  private final boolean missing;
  /**
   * What keys each row's random draws ({@link org.sparkgmm.init.RowHash}) instead of its values,
   * for a block of transformed values (the seeding coordinates); null: the values do.
   */
  private final long[] keys;
  /** The rows grouped by missingness pattern, computed once (a cached block is reused every pass). */
  private transient volatile List<MissingPatterns.Pattern> patterns;

  private RowBlock(int rows, int features, double[] values, double[] weights, int[] labels, boolean missing) {
    this(rows, features, values, weights, labels, missing, null);
  }

  private RowBlock(int rows, int features, double[] values, double[] weights, int[] labels, boolean missing,
      long[] keys) {
    this.keys = keys;
    this.rows = rows;
    this.features = features;
    this.values = values;
    this.weights = weights;
    this.labels = labels;
    this.missing = missing;
  }

  private static boolean anyNaN(double[] values) {
    for (double v : values) {
      if (v != v) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wraps column-major values (not copied) and optional weights (not copied) as a block. NaN
   * values are missing ({@link #hasMissing}).
   *
   * @param weights per-row non-negative finite weights, or {@code null} for unit weights
   * @throws IllegalArgumentException if the lengths do not match {@code rows} and {@code features},
   *     or a weight is negative or not finite
   */
  public static RowBlock of(int rows, int features, double[] values, double[] weights) {
    if (rows < 0 || features < 1) {
      throw new IllegalArgumentException("A block needs rows >= 0 and features >= 1, got " + rows + "x" + features);
    }
    if (values.length != rows * features) {
      throw new IllegalArgumentException(
          "Block of " + rows + "x" + features + " needs " + rows * features + " values, got " + values.length);
    }
    if (weights != null) {
      if (weights.length != rows) {
        throw new IllegalArgumentException("Block of " + rows + " rows got " + weights.length + " weights");
      }
      for (int i = 0; i < rows; i++) {
        if (!(weights[i] >= 0.0) || Double.isInfinite(weights[i])) {
          throw new IllegalArgumentException("Weight of row " + i + " is " + weights[i] + ", must be finite and >= 0");
        }
      }
    }
    return new RowBlock(rows, features, values, weights, null, anyNaN(values));
  }

  /**
   * The same rows with fixed components: row {@code i} belongs to component {@code labels[i]}, or
   * is free when it is -1 (semi-supervised EM). The array is not copied.
   *
   * @throws IllegalArgumentException if the length is not {@code rows} or a label is below -1
   */
  public RowBlock withLabels(int[] labels) {
    if (labels.length != rows) {
      throw new IllegalArgumentException("Block of " + rows + " rows got " + labels.length + " labels");
    }
    for (int label : labels) {
      if (label < -1) {
        throw new IllegalArgumentException("Label index " + label + " is below -1");
      }
    }
    return new RowBlock(rows, features, values, weights, labels, missing, keys);
  }

  /**
   * The same rows with their random draws keyed by {@code keys} instead of their values (not
   * copied): a block of transformed values whose draws must not depend on the transformation.
   *
   * @throws IllegalArgumentException if the length is not {@code rows}
   */
  public RowBlock withKeys(long[] keys) {
    if (keys.length != rows) {
      throw new IllegalArgumentException("Block of " + rows + " rows got " + keys.length + " keys");
    }
    return new RowBlock(rows, features, values, weights, labels, missing, keys);
  }

  /** Whether the rows' draws are keyed by {@link #key} rather than by their values. */
  public boolean keyed() {
    return keys != null;
  }

  /** Row i's key ({@link #withKeys}). */
  public long key(int i) {
    return keys[i];
  }

  /** Rows {@code start .. start+count-1} as a new block (values copied), weights and labels kept. */
  public RowBlock slice(int start, int count) {
    if (start < 0 || count < 0 || start + count > rows) {
      throw new IllegalArgumentException("Rows " + start + "+" + count + " are outside a block of " + rows);
    }
    double[] v = new double[count * features];
    for (int j = 0; j < features; j++) {
      System.arraycopy(values, j * rows + start, v, j * count, count);
    }
    double[] w = weights == null ? null : Arrays.copyOfRange(weights, start, start + count);
    int[] l = labels == null ? null : Arrays.copyOfRange(labels, start, start + count);
    return new RowBlock(count, features, v, w, l, missing && anyNaN(v),
        keys == null ? null : Arrays.copyOfRange(keys, start, start + count));
  }

  /**
   * The same rows restricted to the given columns, in that order (values copied; weights and labels
   * shared). Returns this block itself when {@code columns} is {@code 0..d-1}.
   *
   * @throws IllegalArgumentException if a column index is outside the block
   */
  public RowBlock columns(int[] columns) {
    boolean identity = columns.length == features;
    for (int j = 0; j < columns.length; j++) {
      if (columns[j] < 0 || columns[j] >= features) {
        throw new IllegalArgumentException("Column " + columns[j] + " is outside a block of " + features);
      }
      identity &= columns[j] == j;
    }
    if (identity) {
      return this;
    }
    double[] v = new double[rows * columns.length];
    for (int j = 0; j < columns.length; j++) {
      System.arraycopy(values, columns[j] * rows, v, j * rows, rows);
    }
    return new RowBlock(rows, columns.length, v, weights, labels, missing && anyNaN(v));
  }

  /** Builds a block from row-major rows, copying them; for tests and small data. */
  public static RowBlock fromRows(double[][] data, double[] weights) {
    int n = data.length;
    int d = n == 0 ? 1 : data[0].length;
    double[] v = new double[n * d];
    for (int i = 0; i < n; i++) {
      if (data[i].length != d) {
        throw new IllegalArgumentException("Row " + i + " has " + data[i].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        v[j * n + i] = data[i][j];
      }
    }
    return of(n, d, v, weights == null ? null : weights.clone());
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Number of features (columns). */
  public int features() {
    return features;
  }

  /** Feature {@code j} of row {@code i}. */
  public double value(int i, int j) {
    return values[j * rows + i];
  }

  /** Weight of row {@code i} (1 when the block has no weights). */
  public double weight(int i) {
    return weights == null ? 1.0 : weights[i];
  }

  /** The component row {@code i} is fixed to, or -1 when it is free (always -1 without labels). */
  public int label(int i) {
    return labels == null ? -1 : labels[i];
  }

  /** True when some rows may have a fixed component ({@link #withLabels}). */
  public boolean labelled() {
    return labels != null;
  }

  /** True when some value is missing (NaN). */
  public boolean hasMissing() {
    return missing;
  }

  /** The rows grouped by missingness pattern ({@link MissingPatterns#of}), computed on first use and kept. */
  public List<MissingPatterns.Pattern> missingPatterns() {
    List<MissingPatterns.Pattern> p = patterns;
    if (p == null) {
      p = MissingPatterns.of(this);
      patterns = p;
    }
    return p;
  }

  /** True when every row has weight 1 and no weight array is stored. */
  public boolean unitWeights() {
    return weights == null;
  }

  /** The column-major values themselves, not a copy: kernels read them, nobody writes them. */
  public double[] columnMajorValues() {
    return values;
  }

  /** Sum of the row weights. */
  public double totalWeight() {
    if (weights == null) {
      return rows;
    }
    double s = 0.0;
    for (double w : weights) {
      s += w;
    }
    return s;
  }

  /** A copy of row {@code i}. */
  public double[] row(int i) {
    double[] r = new double[features];
    for (int j = 0; j < features; j++) {
      r[j] = values[j * rows + i];
    }
    return r;
  }

  @Override
  public String toString() {
    return "RowBlock[" + rows + "x" + features + (weights == null ? "" : ", weighted") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowBlock b
        && b.rows == rows
        && b.features == features
        && Arrays.equals(b.values, values)
        && Arrays.equals(b.weights, weights)
        && Arrays.equals(b.labels, labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(weights);
  }
}
