package org.sparkgmm.driver;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.io.DataBlock;

/**
 * One EM pass as one Spark job: the model is broadcast once, every partition runs the E-step over
 * its cached blocks into an accumulator, and the accumulators meet in a {@code treeAggregate}
 * (no shuffle).
 */
final class DistributedPass implements ExpectationMaximization.Pass {
  private final JavaSparkContext jsc;
  private final JavaRDD<DataBlock> blocks;
  private final int depth;

  DistributedPass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks) {
    this.jsc = jsc;
    this.blocks = blocks;
    // Depth 2 unless there are many partitions: sqrt fan-in keeps the driver's merge work small.
    this.depth = Math.max(2, (int) Math.ceil(Math.log(Math.max(1, blocks.getNumPartitions())) / Math.log(64)));
  }

  @Override
  public EmAccumulator run(GaussianMixtureModel model, ExpectationMaximization.Kind kind) {
    Broadcast<GaussianMixtureModel> broadcast = jsc.broadcast(model);
    try {
      EmAccumulator.ModelSource source = broadcast::value;
      EmAccumulator zero = kind == ExpectationMaximization.Kind.STATISTICS
          ? EmAccumulator.forStatistics(source)
          : EmAccumulator.forLikelihood(source);
      return blocks.treeAggregate(zero, (acc, block) -> acc.add(block.rows()), EmAccumulator::merge, depth);
    } finally {
      broadcast.destroy();
    }
  }
}
