package org.sparkgmm.io;

import org.sparkgmm.config.Storage;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The input, validated and packed once into cached dense blocks.
 *
 * @param table the table as read, every column (for outputs that copy columns, such as predictions)
 * @param blocks the cached blocks (call {@link #release()} when done)
 * @param schema feature names and where they came from
 * @param rows number of valid rows
 * @param skipped number of invalid rows left out ({@code --invalid-rows skip})
 * @param weightSum total row weight of the valid rows
 * @param labels the distinct labels of the label column in component order (empty without one)
 * @param labelledRows valid rows with a non-null label
 * @param missing what {@code --missing marginalize} met (all zero without it)
 * @param storage where the blocks live between passes
 * @param batching how the blocks are split into stepwise EM's batches
 */
public record TrainingData(Dataset<Row> table, JavaRDD<DataBlock> blocks, FeatureSchema schema, long rows, long skipped,
    double weightSum, List<String> labels, long labelledRows, MissingCounts missing, Storage storage,
    InputReader.Batching batching) {

  public TrainingData {
    labels = List.copyOf(labels);
  }

  /** Where the blocks are now, as Spark's block manager reports them. */
  public StorageUse storageUse() {
    int partitions = blocks.getNumPartitions();
    int cached = 0;
    long memory = 0;
    long disk = 0;
    if (storage != Storage.NONE) {
      for (org.apache.spark.storage.RDDInfo info : blocks.context().getRDDStorageInfo()) {
        if (info.id() == blocks.id()) {
          cached = info.numCachedPartitions();
          memory = info.memSize();
          disk = info.diskSize();
        }
      }
    }
    return new StorageUse(storage.externalName(), partitions, cached, memory, disk);
  }

  /** Frees the cached blocks. */
  public void release() {
    blocks.unpersist(false);
  }
}
