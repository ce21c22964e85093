package org.sparkgmm.init;

import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * One Lloyd (k-means) step over the data: every row goes to its nearest centre; per centre the
 * weight {@code N_c}, the weighted sum of {@code x - c} (centred for precision) and the total cost
 * {@code sum_i w_i |x_i - c(i)|^2}. Rows with missing values go to the nearest centre by partial
 * distance ({@link Centers#nearest}) and move each feature of it by the rows observing that feature.
 */
public final class LloydStatistics implements BlockAccumulator<LloydStatistics> {
  private static final long serialVersionUID = 1L;

  private final Shared<Centers> source;
  private final int count;
  private double[] weights;
  private double[] sums;
  /** {@code [c * d + j]}: the weight of centre c's rows with feature j observed; null while every row was complete. */
  private double[] featureWeights;
  private double cost;

  private transient NearestScan scan;

  /**
   * Empty statistics for the given centres.
   *
   * @param count how many centres {@code centers} holds (the shared value is not readable once the
   *     pass is over, so the results below never look at it)
   */
  public LloydStatistics(Shared<Centers> centers, int count) {
    this.source = centers;
    this.count = count;
  }

  @Override
  public LloydStatistics add(RowBlock block) {
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (scan == null) {
      scan = new NearestScan(source.get());
    }
    Centers centers = scan.centers();
    int k = centers.size();
    int d = centers.dimension();
    if (weights == null) {
      weights = new double[k];
      sums = new double[k * d];
    }
    if (block.hasMissing() && featureWeights == null) {
      featureWeights = new double[k * d];
      for (int c = 0; c < k; c++) {
        java.util.Arrays.fill(featureWeights, c * d, (c + 1) * d, weights[c]);
      }
    }
    scan.run(block);
    double[] x = block.columnMajorValues();
    for (int i = 0; i < n; i++) {
      double w = block.weight(i);
      int c = scan.index(i);
      weights[c] += w;
      cost += w * scan.distance(i);
    }
    for (int j = 0; j < d; j++) {
      int col = j * n;
      for (int i = 0; i < n; i++) {
        int c = scan.index(i);
        double z = x[col + i] - centers.valueAt(c, j);
        if (z == z) {
          sums[c * d + j] += block.weight(i) * z;
          if (featureWeights != null) {
            featureWeights[c * d + j] += block.weight(i);
          }
        }
      }
    }
    return this;
  }

  @Override
  public LloydStatistics merge(LloydStatistics other) {
    if (other.weights == null) {
      return this;
    }
    if (weights == null) {
      weights = other.weights;
      sums = other.sums;
      featureWeights = other.featureWeights;
    } else {
      if (featureWeights != null || other.featureWeights != null) {
        double[] mine = featureWeightsOrFilled();
        double[] theirs = other.featureWeightsOrFilled();
        for (int i = 0; i < mine.length; i++) {
          mine[i] += theirs[i];
        }
        featureWeights = mine;
      }
      for (int c = 0; c < weights.length; c++) {
        weights[c] += other.weights[c];
      }
      for (int i = 0; i < sums.length; i++) {
        sums[i] += other.sums[i];
      }
    }
    cost += other.cost;
    return this;
  }

  private double[] featureWeightsOrFilled() {
    if (featureWeights != null) {
      return featureWeights.clone();
    }
    int d = sums.length / count;
    double[] f = new double[count * d];
    for (int c = 0; c < count; c++) {
      java.util.Arrays.fill(f, c * d, (c + 1) * d, weights[c]);
    }
    return f;
  }

  /** {@code N_c}: the weight of the rows nearest each centre (zeros if no row was added). */
  public double[] weights() {
    return weights == null ? new double[count] : weights.clone();
  }

  /** {@code sum_i w_i |x_i - c(i)|^2} with {@code c(i)} the nearest centre. */
  public double cost() {
    return cost;
  }

  /**
   * The new centres: each centre moved to the weighted mean of its rows; a centre without rows stays.
   *
   * @param old the centres this pass was run with
   */
  public Centers moved(Centers old) {
    int k = old.size();
    int d = old.dimension();
    double[][] p = old.points();
    for (int c = 0; c < k; c++) {
      if (weights != null && weights[c] > 0.0) {
        for (int j = 0; j < d; j++) {
          double w = featureWeights == null ? weights[c] : featureWeights[c * d + j];
          if (w > 0.0) {
            p[c][j] += sums[c * d + j] / w;
          }
        }
      }
    }
    return Centers.of(p, d);
  }
}
