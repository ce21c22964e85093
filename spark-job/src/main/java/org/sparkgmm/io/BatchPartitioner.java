package org.sparkgmm.io;

import org.apache.spark.Partitioner;

/**
 * Puts the input rows of stepwise EM's batch b into partitions {@code b * per .. b * per + per - 1},
 * so that a step runs on its batch's partitions only. The key of a row is its partition, computed
 * by {@link BatchKeys} from the row's values.
 */
final class BatchPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  BatchPartitioner(int batches, int perBatch) {
    this.partitions = batches * perBatch;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchPartitioner p && p.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
