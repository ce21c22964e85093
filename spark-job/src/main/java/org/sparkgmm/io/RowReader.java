package org.sparkgmm.io;

import org.sparkgmm.component.Support;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Reads one projected row (see {@link FeatureSchema#project}) into a feature buffer and checks it:
 * every feature present, finite and (for a general mixture) inside its family's support, the weight
 * present, finite and non-negative. Under {@code --missing marginalize} a null or NaN feature is a
 * missing value (NaN in the buffer) rather than invalid; a row missing every feature is
 * {@link #ALL_MISSING}.
 */
final class RowReader implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final boolean arrayColumn;
  private final boolean weighted;
  private final String arrayName;
  private final String weightName;
  /** Component index per label text; null without a label column. */
  private final Map<String, Integer> labelIndex;
  /** Position of the first feature field in the rows read (fields before it are the caller's). */
  private final int offset;
  /** What each feature's values may be (families' supports); null when any finite value is. */
  private final Support support;
  /** Labels of the features read from string columns (code -1: a label not among them), by feature index. */
  private final Map<Integer, List<String>> categories = new HashMap<>();
  /** Null and NaN features are missing values, not invalid ones. */
  private final boolean missing;

  /** What {@link #read} returns for a row whose every feature is missing (compare by identity). */
  static final String ALL_MISSING = "every feature is missing";

  /**
   * @param labels the distinct labels in component order (empty without a label column)
   * @param offset position of the first projected field in the rows read
   */
  RowReader(FeatureSchema schema, List<String> labels, int offset) {
    this(schema, labels, offset, null);
  }

  /** @param support what each feature's values may be, or null when any finite value is */
  RowReader(FeatureSchema schema, List<String> labels, int offset, Support support) {
    this(schema, labels, offset, support, false);
  }

  /** @param missing null and NaN features are missing values ({@code --missing marginalize}) */
  RowReader(FeatureSchema schema, List<String> labels, int offset, Support support, boolean missing) {
    this.missing = missing;
    this.offset = offset;
    this.support = support;
    schema.categories().forEach((name, known) -> categories.put(schema.names().indexOf(name), known));
    this.names = schema.names();
    this.arrayColumn = schema.fromArrayColumn();
    this.weighted = schema.weightColumn() != null;
    this.arrayName = schema.arrayColumnName();
    this.weightName = schema.weightColumn();
    if (schema.labelColumn() == null) {
      this.labelIndex = null;
    } else {
      Map<String, Integer> index = new HashMap<>();
      for (int c = 0; c < labels.size(); c++) {
        index.put(labels.get(c), c);
      }
      this.labelIndex = index;
    }
  }

  /** Whether null and NaN features are missing values. */
  boolean marginalizes() {
    return missing;
  }

  /** Whether values are checked against families' supports. */
  boolean checksSupport() {
    return support != null;
  }

  /** Number of features. */
  int dimension() {
    return names.size();
  }

  /**
   * Fills {@code into} with the row's features.
   *
   * @return null when the row is valid, else what is wrong with it (for error messages)
   */
  String read(Row row, double[] into) {
    int d = names.size();
    if (arrayColumn) {
      if (row.isNullAt(offset)) {
        if (missing) {
          java.util.Arrays.fill(into, 0, d, Double.NaN);
          return ALL_MISSING;
        }
        return "'" + arrayName + "' is null";
      }
      List<Object> values = row.getList(offset);
      if (values.size() != d) {
        return "'" + arrayName + "' has " + values.size() + " values, the first row has " + d;
      }
      for (int j = 0; j < d; j++) {
        Object v = values.get(j);
        if (v == null && missing) {
          into[j] = Double.NaN;
          continue;
        }
        if (v == null) {
          return "'" + arrayName + "' has null at position " + j;
        }
        into[j] = ((Number) v).doubleValue();
        if (missing && Double.isNaN(into[j])) {
          continue;
        }
        if (!Double.isFinite(into[j])) {
          return "'" + arrayName + "' has " + into[j] + " at position " + j;
        }
        String bad = support == null ? null : support.outsideSupport(j, into[j]);
        if (bad != null) {
          return "'" + arrayName + "' has " + into[j] + " at position " + j + " (feature '" + names.get(j) + "'), which "
              + bad;
        }
      }
    } else {
      for (int j = 0; j < d; j++) {
        if (row.isNullAt(offset + j)) {
          if (missing) {
            into[j] = Double.NaN;
            continue;
          }
          return "'" + names.get(j) + "' is null";
        }
        into[j] = row.getDouble(offset + j);
        if (missing && Double.isNaN(into[j])) {
          continue;
        }
        if (!Double.isFinite(into[j])) {
          return "'" + names.get(j) + "' is " + into[j];
        }
        if (into[j] < 0 && categories.containsKey(j)) {
          List<String> known = categories.get(j);
          return "'" + names.get(j) + "' holds a category the model does not know (it knows "
              + String.join(", ", known.subList(0, Math.min(10, known.size()))) + (known.size() > 10 ? ", ..." : "")
              + ")";
        }
        String bad = support == null ? null : support.outsideSupport(j, into[j]);
        if (bad != null) {
          return "'" + names.get(j) + "' is " + into[j] + ", which " + bad;
        }
      }
    }
    if (missing && allMissing(into, d)) {
      return ALL_MISSING;
    }
    if (weighted) {
      int w = offset + (arrayColumn ? 1 : d);
      if (row.isNullAt(w)) {
        return "weight '" + weightName + "' is null";
      }
      double weight = row.getDouble(w);
      if (!(weight >= 0.0) || Double.isInfinite(weight)) {
        return "weight '" + weightName + "' is " + weight + " (must be finite and >= 0)";
      }
    }
    return null;
  }

  private static boolean allMissing(double[] x, int d) {
    for (int j = 0; j < d; j++) {
      if (!Double.isNaN(x[j])) {
        return false;
      }
    }
    return true;
  }

  /** The row's weight (1 when unweighted); call only after {@link #read} accepted the row. */
  double weight(Row row) {
    return weighted ? row.getDouble(offset + (arrayColumn ? 1 : names.size())) : 1.0;
  }

  /**
   * The row's component from its label: -1 when the label is null or not a known label (NaN in a
   * floating-point column), which makes the row free.
   * Call only after {@link #read} accepted the row.
   */
  int label(Row row) {
    int at = offset + (arrayColumn ? 1 : names.size()) + (weighted ? 1 : 0);
    if (row.isNullAt(at)) {
      return -1;
    }
    Integer c = labelIndex.get(row.getString(at));
    return c == null ? -1 : c;
  }

  /** Whether rows carry labels. */
  boolean labelled() {
    return labelIndex != null;
  }

  /** Whether rows carry weights. */
  boolean weighted() {
    return weighted;
  }
}
