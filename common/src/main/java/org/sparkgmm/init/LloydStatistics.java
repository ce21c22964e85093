package org.sparkgmm.init;

import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * One Lloyd (k-means) step over the data: every row goes to its nearest centre; per centre the
 * weight {@code N_c}, the weighted sum of {@code x - c} (centred for precision) and the total cost
 * {@code sum_i w_i |x_i - c(i)|^2}.
 */
public final class LloydStatistics implements BlockAccumulator<LloydStatistics> {
  private static final long serialVersionUID = 1L;

  private final Shared<Centers> source;
  private final int count;
  private double[] weights;
  private double[] sums;
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
        sums[c * d + j] += block.weight(i) * (x[col + i] - centers.valueAt(c, j));
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
    } else {
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
          p[c][j] += sums[c * d + j] / weights[c];
        }
      }
    }
    return Centers.of(p, d);
  }
}
