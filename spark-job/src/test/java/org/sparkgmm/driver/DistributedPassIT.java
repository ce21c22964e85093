package org.sparkgmm.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;
import org.sparkgmm.io.DataBlock;
import org.sparkgmm.testing.SharedSpark;

/**
 * One pass as one Spark job, both ways values reach the tasks (inside the task when small, as a
 * broadcast of their own when large) and both ways results meet (merged on the driver up to 64
 * partitions, a tree beyond).
 */
class DistributedPassIT {
  /** Sums rows times a value read from each shared array. */
  static final class Probe implements BlockAccumulator<Probe> {
    private static final long serialVersionUID = 1L;
    private final Shared<double[]> small;
    private final Shared<double[]> large;
    double total;
    long rows;
    int blocks;

    Probe(Shared<double[]> small, Shared<double[]> large) {
      this.small = small;
      this.large = large;
    }

    @Override
    public Probe add(RowBlock block) {
      double[] l = large.get();
      total += block.rows() * (small.get()[0] + l[l.length - 1]);
      rows += block.rows();
      blocks++;
      return this;
    }

    @Override
    public Probe merge(Probe other) {
      total += other.total;
      rows += other.rows;
      blocks += other.blocks;
      return this;
    }
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 5, DistributedPass.DIRECT_MERGE_PARTITIONS + 6})
  void everyBlockIsAddedOnceWithBothSharedValues(int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
    List<DataBlock> data = new ArrayList<>();
    long expectedRows = 0;
    for (int b = 0; b < 3 * partitions; b++) {
      int m = 1 + b % 7;
      data.add(new DataBlock(RowBlock.of(m, 1, new double[m], null), m, 0));
      expectedRows += m;
    }
    JavaRDD<DataBlock> blocks = jsc.parallelize(data, partitions);
    DistributedPass pass = new DistributedPass(jsc, blocks);
    double[] big = new double[DistributedPass.INLINE_BYTES / 8 + 1000];
    big[big.length - 1] = 0.25;
    Shared<double[]> small = pass.share(new double[] {2.0});
    Shared<double[]> large = pass.share(big);

    Probe result = pass.run("probe", new Probe(small, large));

    assertThat(result.rows).isEqualTo(expectedRows);
    assertThat(result.blocks).isEqualTo(data.size());
    assertThat(result.total).isEqualTo(2.25 * expectedRows);
    assertThat(pass.passes()).isEqualTo(1);
    // The large value was a broadcast, released after the pass; the small one travelled in the task.
    assertThatThrownBy(large::get).hasMessageContaining("destroyed");
    assertThat(small.get()).containsExactly(2.0);
  }

  @ParameterizedTest(name = "{0} doubles")
  @ValueSource(ints = {10, DistributedPass.INLINE_BYTES / 8 - 100, DistributedPass.INLINE_BYTES / 8})
  void theSizeTestCountsSerializedBytes(int doubles) {
    double[] value = new double[doubles];
    Arrays.fill(value, 1.0);
    // A double[] serializes to 8 bytes a value plus a header of a few dozen bytes.
    boolean fits = 8L * doubles + 27 <= DistributedPass.INLINE_BYTES;
    assertThat(DistributedPass.serializedSizeAtMost(value, DistributedPass.INLINE_BYTES)).isEqualTo(fits);
  }
}
