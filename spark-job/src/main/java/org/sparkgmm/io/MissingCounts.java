package org.sparkgmm.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code --missing marginalize} met in the input: rows left out because every feature was
 * missing, rows kept with some value missing, and missing cells per feature.
 *
 * @param allMissingRows rows with no observed feature (left out: they carry no information)
 * @param incompleteRows rows kept that miss at least one feature
 * @param cells missing cells per feature, in feature order
 */
public record MissingCounts(long allMissingRows, long incompleteRows, long[] cells) implements Serializable {

  public MissingCounts {
    cells = cells.clone();
  }

  /** Nothing missing over {@code d} features. */
  public static MissingCounts none(int d) {
    return new MissingCounts(0, 0, new long[d]);
  }

  /** The counts of one packed block. */
  static MissingCounts of(DataBlock b, int d) {
    return new MissingCounts(b.allMissing(), b.incomplete(), b.missingCells() == null ? new long[d] : b.missingCells());
  }

  /** The sum of two counts. */
  public MissingCounts plus(MissingCounts o) {
    long[] c = cells.clone();
    for (int j = 0; j < c.length; j++) {
      c[j] += o.cells[j];
    }
    return new MissingCounts(allMissingRows + o.allMissingRows, incompleteRows + o.incompleteRows, c);
  }

  /** Whether anything was missing. */
  public boolean any() {
    return allMissingRows > 0 || incompleteRows > 0;
  }

  /** Total missing cells (of the rows kept). */
  public long totalCells() {
    long s = 0;
    for (long v : cells) {
      s += v;
    }
    return s;
  }

  /**
   * The progress line's account, e.g. {@code "missing values: 120 rows miss some feature (130 cells:
   * a 100, c 30); 4 rows miss every feature, left out"}, or null when nothing was missing.
   */
  public String describe(List<String> names) {
    if (!any()) {
      return null;
    }
    StringBuilder b = new StringBuilder("missing values: ").append(incompleteRows).append(" rows miss some feature (")
        .append(totalCells()).append(" cells");
    String sep = ": ";
    for (int j = 0; j < cells.length; j++) {
      if (cells[j] > 0) {
        b.append(sep).append(names.get(j)).append(' ').append(cells[j]);
        sep = ", ";
      }
    }
    b.append(')');
    if (allMissingRows > 0) {
      b.append("; ").append(allMissingRows).append(" rows miss every feature, left out");
    }
    return b.toString();
  }

  /** Missing cells by feature name, in feature order. */
  public Map<String, Long> byFeature(List<String> names) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int j = 0; j < names.size(); j++) {
      out.put(names.get(j), cells[j]);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MissingCounts m && m.allMissingRows == allMissingRows && m.incompleteRows == incompleteRows
        && Arrays.equals(m.cells, cells);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(allMissingRows + 7 * incompleteRows) + Arrays.hashCode(cells);
  }

  @Override
  public String toString() {
    return "MissingCounts[allMissingRows=" + allMissingRows + ", incompleteRows=" + incompleteRows + ", cells="
        + Arrays.toString(cells) + "]";
  }
}
