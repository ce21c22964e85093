package org.sparkgmm.testing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * A {@link DataPass} over in-memory blocks that mimics Spark: every "partition" (a group of blocks)
 * gets its own copy of the zero, and the partial results are merged in order. Counts its passes.
 * Shared values die with their pass, as Spark's destroyed broadcasts do: reading one afterwards
 * throws, so code that only worked because local mode kept the value is caught here.
 */
public final class LocalPass implements DataPass {
  private static final Map<Long, Object> LIVE = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();

  private final List<List<RowBlock>> partitions;
  private final List<Long> shared = new ArrayList<>();
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
    try {
      A result = null;
      for (List<RowBlock> partition : partitions) {
        A acc = (A) SerializationCopy.of(zero);
        for (RowBlock b : partition) {
          acc.add(b);
        }
        result = result == null ? acc : result.merge(acc);
      }
      return result == null ? zero : result;
    } finally {
      shared.forEach(LIVE::remove);
      shared.clear();
    }
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    long id = IDS.incrementAndGet();
    LIVE.put(id, value);
    shared.add(id);
    return new Handle<>(id);
  }

  /** A shared value by id, as a broadcast is: serialised copies all see the one live value. */
  private record Handle<T>(long id) implements Shared<T> {
    @Override
    @SuppressWarnings("unchecked")
    public T get() {
      Object v = LIVE.get(id);
      if (v == null) {
        throw new IllegalStateException("Shared value " + id + " read after its pass ended");
      }
      return (T) v;
    }
  }

  /** Passes run so far. */
  public int passes() {
    return passes;
  }
}
