package org.sparkgmm.driver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.Shared;
import org.sparkgmm.io.DataBlock;

/**
 * One pass as one Spark job over the cached blocks: shared values are broadcast once, every
 * partition feeds its blocks into a copy of the accumulator, and the copies meet in a
 * {@code treeAggregate} (no shuffle). The job carries the pass's description, so the Spark UI shows
 * where a fit is. Counts the passes it ran.
 */
final class DistributedPass implements DataPass {
  private final JavaSparkContext jsc;
  private final JavaRDD<DataBlock> blocks;
  private final int depth;
  private final List<Broadcast<?>> broadcasts = new ArrayList<>();
  private int passes;

  DistributedPass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks) {
    this.jsc = jsc;
    this.blocks = blocks;
    // Up to 64 partitions the driver merges their results directly (depth 1: one stage, and on a
    // small machine about 10 ms less per pass than depth 2); beyond, each tree level cuts the fan-in
    // to at most 64 per merge so the driver's work stays small.
    this.depth = Math.max(1, (int) Math.ceil(Math.log(Math.max(1, blocks.getNumPartitions())) / Math.log(64)));
  }

  @Override
  public <A extends BlockAccumulator<A>> A run(String description, A zero) {
    passes++;
    jsc.setJobDescription(description);
    try {
      return blocks.treeAggregate(zero, (acc, block) -> acc.add(block.rows()), (a, b) -> a.merge(b), depth);
    } finally {
      jsc.setJobDescription(null);
      for (Broadcast<?> b : broadcasts) {
        b.destroy();
      }
      broadcasts.clear();
    }
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    Broadcast<T> b = jsc.broadcast(value);
    broadcasts.add(b);
    return b::value;
  }

  /** Passes over the data run so far. */
  int passes() {
    return passes;
  }
}
