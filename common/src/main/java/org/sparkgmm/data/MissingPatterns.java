package org.sparkgmm.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a block grouped by which of their values are missing (NaN), so that a kernel works
 * once per pattern (one marginal factorisation per pattern and component) and never per row.
 */
public final class MissingPatterns {
  private MissingPatterns() {}

  /**
   * Rows sharing one missingness pattern.
   *
   * @param observed the observed columns, ascending
   * @param rows the rows of the block with exactly those columns observed, ascending
   */
  public record Pattern(int[] observed, int[] rows) {
    /** Whether every column is missing in these rows. */
    public boolean empty() {
      return observed.length == 0;
    }
  }

  /** The patterns of a block, in the order they first appear; every row is in exactly one. */
  public static List<Pattern> of(RowBlock block) {
    int n = block.rows();
    int d = block.features();
    double[] x = block.columnMajorValues();
    Map<BitSet, int[]> rows = new LinkedHashMap<>();
    Map<BitSet, Integer> counts = new LinkedHashMap<>();
    BitSet missing = new BitSet(d);
    for (int i = 0; i < n; i++) {
      missing.clear();
      for (int j = 0; j < d; j++) {
        double v = x[j * n + i];
        if (v != v) {
          missing.set(j);
        }
      }
      int[] list = rows.get(missing);
      BitSet key = missing;
      if (list == null) {
        key = (BitSet) missing.clone();
        list = new int[4];
        rows.put(key, list);
        counts.put(key, 0);
      }
      int count = counts.get(key);
      if (count == list.length) {
        list = Arrays.copyOf(list, 2 * count);
        rows.put(key, list);
      }
      list[count] = i;
      counts.put(key, count + 1);
    }
    List<Pattern> out = new ArrayList<>();
    for (Map.Entry<BitSet, int[]> e : rows.entrySet()) {
      BitSet m = e.getKey();
      int[] observed = new int[d - m.cardinality()];
      int o = 0;
      for (int j = 0; j < d; j++) {
        if (!m.get(j)) {
          observed[o++] = j;
        }
      }
      out.add(new Pattern(observed, Arrays.copyOf(e.getValue(), counts.get(m))));
    }
    return out;
  }

  /**
   * The same rows reordered so that each pattern's rows are consecutive (patterns in the order they
   * first appear, rows in their order within each), weights and labels moving with their rows; the
   * block itself when it has no missing value. Packing incomplete rows this way makes
   * {@link #gather} a few array copies.
   */
  public static RowBlock grouped(RowBlock block) {
    if (!block.hasMissing()) {
      return block;
    }
    int n = block.rows();
    int d = block.features();
    int[] order = new int[n];
    int at = 0;
    for (Pattern p : of(block)) {
      for (int i : p.rows()) {
        order[at++] = i;
      }
    }
    double[] x = block.columnMajorValues();
    double[] v = new double[n * d];
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < n; i++) {
        v[j * n + i] = x[j * n + order[i]];
      }
    }
    double[] w = null;
    if (!block.unitWeights()) {
      w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = block.weight(order[i]);
      }
    }
    RowBlock out = RowBlock.of(n, d, v, w);
    if (block.labelled()) {
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = block.label(order[i]);
      }
      out = out.withLabels(labels);
    }
    return out;
  }

  /** Whether the rows are consecutive indices. */
  private static boolean consecutive(int[] rows) {
    return rows.length == 0 || rows[rows.length - 1] - rows[0] == rows.length - 1;
  }

  /** The pattern's rows and observed columns as a complete block (values copied, weights kept, no labels). */
  public static RowBlock gather(RowBlock block, Pattern p) {
    int n = block.rows();
    int m = p.rows().length;
    int o = p.observed().length;
    double[] x = block.columnMajorValues();
    double[] v = new double[m * o];
    boolean run = consecutive(p.rows());
    for (int a = 0; a < o; a++) {
      int from = p.observed()[a] * n;
      if (run) {
        System.arraycopy(x, from + p.rows()[0], v, a * m, m);
        continue;
      }
      for (int i = 0; i < m; i++) {
        v[a * m + i] = x[from + p.rows()[i]];
      }
    }
    double[] w = null;
    if (!block.unitWeights()) {
      w = new double[m];
      for (int i = 0; i < m; i++) {
        w[i] = block.weight(p.rows()[i]);
      }
    }
    return RowBlock.of(m, Math.max(o, 1), o == 0 ? new double[m] : v, w);
  }

  /**
   * Rows {@code rows} of a column-major {@code n x k} matrix, as a column-major
   * {@code rows.length x k} matrix.
   */
  public static double[] gatherRows(double[] matrix, int n, int k, int[] rows) {
    int m = rows.length;
    double[] out = new double[m * k];
    boolean run = consecutive(rows);
    for (int c = 0; c < k; c++) {
      if (run && m > 0) {
        System.arraycopy(matrix, c * n + rows[0], out, c * m, m);
        continue;
      }
      for (int i = 0; i < m; i++) {
        out[c * m + i] = matrix[c * n + rows[i]];
      }
    }
    return out;
  }

  /** Writes a column-major {@code rows.length x k} matrix into rows {@code rows} of an {@code n x k} one. */
  public static void scatterRows(double[] from, int n, int k, int[] rows, double[] into) {
    int m = rows.length;
    boolean run = consecutive(rows);
    for (int c = 0; c < k; c++) {
      if (run && m > 0) {
        System.arraycopy(from, c * m, into, c * n + rows[0], m);
        continue;
      }
      for (int i = 0; i < m; i++) {
        into[c * n + rows[i]] = from[c * m + i];
      }
    }
  }
}
