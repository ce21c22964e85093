package org.sparkgmm.init;

import org.sparkgmm.data.RowBlock;

/**
 * A task's working state for {@link Centers#nearest}: the centres, fetched once per task, and
 * buffers that grow with the largest block seen, so no block allocates.
 */
final class NearestScan {
  private final Centers centers;
  private double[] distance = new double[0];
  private int[] index = new int[0];
  private double[] scratch = new double[0];

  NearestScan(Centers centers) {
    this.centers = centers;
  }

  Centers centers() {
    return centers;
  }

  /** Computes every row's nearest centre; read the results with {@link #distance} and {@link #index}. */
  void run(RowBlock block) {
    int n = block.rows();
    if (distance.length < n) {
      distance = new double[n];
      index = new int[n];
      scratch = new double[n];
    }
    centers.nearest(block, distance, index, scratch);
  }

  /** Squared distance of row i to its nearest centre ({@code +inf} without centres). */
  double distance(int i) {
    return distance[i];
  }

  /** Index of row i's nearest centre (-1 without centres). */
  int index(int i) {
    return index[i];
  }
}
