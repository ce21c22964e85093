package org.sparkgmm.component;

import java.io.Serializable;

/**
 * Which values a model or a structure can take, feature by feature: what readers check each value
 * against, so that a value outside a family's support (a negative Exponential, a Poisson that is not
 * a count, a category a model has not seen) is bad input, never a NaN.
 */
@FunctionalInterface
public interface Support extends Serializable {
  /** Why {@code value} of feature {@code feature} cannot be taken, or {@code null} when it can. */
  String outsideSupport(int feature, double value);

  /**
   * Checks in-memory rows: each has one value per feature, every value finite and inside its support.
   *
   * @throws IllegalArgumentException naming the first bad row, feature and value
   */
  default void checkRows(double[][] rows, java.util.List<String> features) {
    checkRows(rows, features, false);
  }

  /**
   * {@link #checkRows(double[][], java.util.List)}, with NaN a missing value when {@code missing}
   * (a row must still observe at least one feature).
   *
   * @throws IllegalArgumentException naming the first bad row, feature and value
   */
  default void checkRows(double[][] rows, java.util.List<String> features, boolean missing) {
    int d = features.size();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("Row " + i + " has " + rows[i].length + " values, expected " + d
            + " (" + String.join(",", features) + ")");
      }
      int seen = 0;
      for (int j = 0; j < d; j++) {
        double v = rows[i][j];
        if (missing && Double.isNaN(v)) {
          continue;
        }
        seen++;
        String bad = Double.isFinite(v) ? outsideSupport(j, v) : "is not finite";
        if (bad != null) {
          throw new IllegalArgumentException("Row " + i + ", feature '" + features.get(j) + "': value " + v + " " + bad
              + (missing || !Double.isNaN(v) ? "" : " (pass missing values with the missing option)"));
        }
      }
      if (seen == 0) {
        throw new IllegalArgumentException("Row " + i + " has no observed value: it carries no information");
      }
    }
  }
}
