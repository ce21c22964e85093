package org.sparkgmm.init;

import java.util.Arrays;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;

/**
 * The smallest and largest value of every feature over the rows with positive weight (Categorical
 * starts need the number of categories, Uniform starts a range).
 */
public final class FeatureRanges implements BlockAccumulator<FeatureRanges> {
  private static final long serialVersionUID = 1L;

  private final double[] min;
  private final double[] max;

  /** Empty ranges over {@code d} features. */
  public FeatureRanges(int d) {
    min = new double[d];
    max = new double[d];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  @Override
  public FeatureRanges add(RowBlock block) {
    int n = block.rows();
    double[] x = block.columnMajorValues();
    for (int j = 0; j < min.length; j++) {
      for (int i = 0; i < n; i++) {
        double v = x[j * n + i];
        if (block.weight(i) > 0.0 && v == v) { // a missing value (NaN) has no place in a range
          min[j] = Math.min(min[j], v);
          max[j] = Math.max(max[j], v);
        }
      }
    }
    return this;
  }

  @Override
  public FeatureRanges merge(FeatureRanges other) {
    for (int j = 0; j < min.length; j++) {
      min[j] = Math.min(min[j], other.min[j]);
      max[j] = Math.max(max[j], other.max[j]);
    }
    return this;
  }

  /** The smallest value of feature j ({@code +inf} without rows). */
  public double min(int j) {
    return min[j];
  }

  /** The largest value of feature j ({@code -inf} without rows). */
  public double max(int j) {
    return max[j];
  }
}
