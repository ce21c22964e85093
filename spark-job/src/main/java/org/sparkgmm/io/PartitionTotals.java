package org.sparkgmm.io;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Sums kept per partition, so that nothing is counted twice: Spark may evaluate a partition again (a
 * retried task or stage, a speculative copy, a second action over the same rows), and a plain
 * accumulator then adds that partition's counts again. Here each partition's sums replace any
 * earlier ones for that partition, and {@link #value()} adds up one set per partition.
 */
public final class PartitionTotals extends AccumulatorV2<double[], double[]> {
  private static final long serialVersionUID = 1L;

  private final int width;
  private final HashMap<Integer, double[]> byPartition = new HashMap<>();

  public PartitionTotals(int width) {
    this.width = width;
  }

  @Override
  public boolean isZero() {
    return byPartition.isEmpty();
  }

  @Override
  public AccumulatorV2<double[], double[]> copy() {
    PartitionTotals c = new PartitionTotals(width);
    byPartition.forEach((p, v) -> c.byPartition.put(p, v.clone()));
    return c;
  }

  @Override
  public void reset() {
    byPartition.clear();
  }

  /** Adds {@code delta} to the running task's partition. */
  @Override
  public void add(double[] delta) {
    TaskContext task = TaskContext.get();
    int partition = task == null ? -1 : task.partitionId();
    double[] sums = byPartition.computeIfAbsent(partition, p -> new double[width]);
    for (int i = 0; i < width; i++) {
      sums[i] += delta[i];
    }
  }

  /** Takes the other's partitions, each replacing what this one had for it. */
  @Override
  public void merge(AccumulatorV2<double[], double[]> other) {
    for (Map.Entry<Integer, double[]> e : ((PartitionTotals) other).byPartition.entrySet()) {
      byPartition.put(e.getKey(), e.getValue().clone());
    }
  }

  /** The sums over every partition, each counted once. */
  @Override
  public double[] value() {
    double[] total = new double[width];
    for (double[] v : byPartition.values()) {
      for (int i = 0; i < width; i++) {
        total[i] += v[i];
      }
    }
    return total;
  }
}
