package org.sparkgmm.driver;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.Shared;
import org.sparkgmm.io.DataBlock;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.TrainingData;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * One pass as one Spark job over the cached blocks: every partition feeds its blocks into a copy of
 * the accumulator and the copies are merged without a shuffle, on the driver directly up to 64
 * partitions, in a {@code treeAggregate} beyond. Shared values travel once per job: small ones
 * (the model at small k and d) inside the task itself, which Spark already broadcasts, larger ones
 * as a broadcast of their own, released after the job. The job carries the pass's description, so
 * the Spark UI shows where a fit is. Counts the passes it ran.
 *
 * <p>At 1M rows, d = 4, k = 8 an iteration's compute is ~13 ms on two cores, so the job's fixed
 * costs decide: a broadcast of its own and its release cost 3-10 ms, {@code treeAggregate}
 * serializes the zero value and cleans two closures before it submits, and every Scala closure
 * Spark cleans has its class file re-read from the jar. Up to 64 partitions the job is therefore
 * submitted with {@code runJob} and a plain function object.
 */
final class DistributedPass implements DataPass {
  private final JavaSparkContext jsc;
  private final JavaRDD<DataBlock> blocks;
  private final InputReader.Batching batching;
  /** Shared values up to this many serialized bytes go inside the task instead of a broadcast. */
  static final int INLINE_BYTES = 256 * 1024;
  /** Up to this many partitions the driver merges the partition results itself. */
  static final int DIRECT_MERGE_PARTITIONS = 64;
  private final List<Broadcast<?>> broadcasts = new ArrayList<>();
  private int passes;

  DistributedPass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks) {
    this(jsc, blocks, InputReader.Batching.NONE);
  }

  DistributedPass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, InputReader.Batching batching) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.batching = batching;
  }

  /** A pass over the cached blocks of {@code data}. */
  static DistributedPass over(SparkSession spark, TrainingData data) {
    return new DistributedPass(JavaSparkContext.fromSparkContext(spark.sparkContext()), data.blocks(), data.batching());
  }

  @Override
  public int batches() {
    return batching.batches();
  }

  /** One job on batch {@code batch}'s partitions only (the others are not read). */
  @Override
  public <A extends BlockAccumulator<A>> A runBatch(String description, int batch, A zero) {
    if (batching.batches() == 1 && batch == 0) {
      return run(description, zero);
    }
    if (batch < 0 || batch >= batching.batches()) {
      throw new IllegalArgumentException("Batch " + batch + " of " + batching.batches());
    }
    passes++;
    jsc.setJobDescription(description);
    try {
      java.util.List<Object> partitions = new java.util.ArrayList<>();
      for (int p = batch * batching.perBatch(); p < (batch + 1) * batching.perBatch(); p++) {
        partitions.add(p);
      }
      Object[] parts = (Object[]) jsc.sc().runJob(blocks.rdd(), new PartitionPass<>(zero),
          scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(), ClassTag$.MODULE$.apply(Object.class));
      A merged = zero;
      for (Object part : parts) {
        @SuppressWarnings("unchecked")
        A a = (A) part;
        merged = merged.merge(a);
      }
      return merged;
    } finally {
      jsc.setJobDescription(null);
      for (Broadcast<?> b : broadcasts) {
        b.destroy();
      }
      broadcasts.clear();
    }
  }

  @Override
  public <A extends BlockAccumulator<A>> A run(String description, A zero) {
    passes++;
    jsc.setJobDescription(description);
    try {
      if (blocks.getNumPartitions() <= DIRECT_MERGE_PARTITIONS) {
        Object[] parts = (Object[]) jsc.sc().runJob(blocks.rdd(), new PartitionPass<>(zero),
            ClassTag$.MODULE$.apply(Object.class));
        A merged = zero;
        for (Object part : parts) {
          @SuppressWarnings("unchecked")
          A a = (A) part;
          merged = merged.merge(a);
        }
        return merged;
      }
      // Each tree level cuts the fan-in to at most 64 per merge, so the driver's work stays small.
      int depth = (int) Math.ceil(Math.log(blocks.getNumPartitions()) / Math.log(DIRECT_MERGE_PARTITIONS));
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
    if (serializedSizeAtMost(value, INLINE_BYTES)) {
      return () -> value;
    }
    Broadcast<T> b = jsc.broadcast(value);
    broadcasts.add(b);
    return b::value;
  }

  /** Whether Java serialization of {@code value} takes at most {@code limit} bytes (stops counting beyond). */
  static boolean serializedSizeAtMost(Serializable value, int limit) {
    final class Counter extends OutputStream {
      long bytes;

      @Override
      public void write(int b) throws IOException {
        write(null, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        bytes += len;
        if (bytes > limit) {
          throw new TooLarge();
        }
      }
    }
    try (ObjectOutputStream out = new ObjectOutputStream(new Counter())) {
      out.writeObject(value);
      return true;
    } catch (TooLarge e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialize a value shared with the tasks", e);
    }
  }

  /** Thrown by the counting stream once the limit is passed, to stop serializing early. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * One partition's blocks into a copy of the accumulator. A class of its own, not a lambda: Spark
   * cleans a Scala closure (which {@code mapPartitions} and {@code collect} wrap around a lambda) by
   * reading its class file from the jar on every job, about a millisecond each here; an ordinary
   * function object is only checked for serializability.
   */
  private static final class PartitionPass<A extends BlockAccumulator<A>>
      extends AbstractFunction1<Iterator<DataBlock>, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final A zero;

    PartitionPass(A zero) {
      this.zero = zero;
    }

    @Override
    public Object apply(Iterator<DataBlock> blocks) {
      A acc = zero;
      while (blocks.hasNext()) {
        acc = acc.add(blocks.next().rows());
      }
      return acc;
    }
  }

  /** Passes over the data run so far. */
  int passes() {
    return passes;
  }
}
