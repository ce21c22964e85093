package org.sparkgmm.testing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * A {@link DataPass} over in-memory blocks that mimics Spark: every "partition" (a group of blocks)
 * gets its own copy of the zero, and the partial results are merged in order. Counts its passes.
 */
public final class LocalPass implements DataPass {
  private final List<List<RowBlock>> partitions;
  private int passes;

  /** One partition per list. */
  public LocalPass(List<List<RowBlock>> partitions) {
    this.partitions = partitions;
  }

  /** All blocks in one partition. */
  public static LocalPass of(List<RowBlock> blocks) {
    return new LocalPass(List.of(blocks));
  }

  /** The blocks dealt round-robin into {@code count} partitions. */
  public static LocalPass partitioned(List<RowBlock> blocks, int count) {
    List<List<RowBlock>> parts = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      parts.add(new ArrayList<>());
    }
    for (int i = 0; i < blocks.size(); i++) {
      parts.get(i % count).add(blocks.get(i));
    }
    return new LocalPass(parts);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BlockAccumulator<A>> A run(String description, A zero) {
    passes++;
    A result = null;
    for (List<RowBlock> partition : partitions) {
      A acc = (A) SerializationCopy.of(zero);
      for (RowBlock b : partition) {
        acc.add(b);
      }
      result = result == null ? acc : result.merge(acc);
    }
    return result == null ? zero : result;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return () -> value;
  }

  /** Passes run so far. */
  public int passes() {
    return passes;
  }
}
