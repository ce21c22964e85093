package org.sparkgmm.init;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;

/**
 * Picks k distinct rows uniformly at random in a way that depends only on the seed and the row
 * values, never on partitioning or row order: every row gets the priority
 * {@link RowHash} of the seed and its values, and the k distinct rows of smallest priority win. Mergeable
 * ({@code add} / {@code merge}), so it runs as one distributed pass.
 */
public final class SmallestPriorityRows implements BlockAccumulator<SmallestPriorityRows> {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final long seed;
  private final List<Candidate> kept = new ArrayList<>();

  private record Candidate(long priority, double[] values) implements Serializable {}

  private static final Comparator<Candidate> ORDER = Comparator.comparingLong(Candidate::priority)
      .thenComparing(Candidate::values, Arrays::compare);

  /**
   * @param k how many rows to keep, at least 1
   * @param seed the random seed
   */
  public SmallestPriorityRows(int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
    this.seed = seed;
  }

  /** Offers every row of the block with positive weight. Returns this. */
  @Override
  public SmallestPriorityRows add(RowBlock block) {
    for (int i = 0; i < block.rows(); i++) {
      if (block.weight(i) > 0.0) {
        long priority = RowHash.of(seed, 0, block, i);
        if (kept.size() < k || priority <= kept.get(k - 1).priority()) {
          offer(new Candidate(priority, block.row(i)));
        }
      }
    }
    return this;
  }

  /** Adds the other's candidates into this. Returns this. */
  @Override
  public SmallestPriorityRows merge(SmallestPriorityRows other) {
    for (Candidate c : other.kept) {
      offer(c);
    }
    return this;
  }

  private void offer(Candidate c) {
    if (kept.size() == k && ORDER.compare(c, kept.get(k - 1)) >= 0) {
      return;
    }
    for (Candidate existing : kept) {
      if (Arrays.equals(existing.values, c.values)) {
        return;
      }
    }
    int at = 0;
    while (at < kept.size() && ORDER.compare(kept.get(at), c) < 0) {
      at++;
    }
    kept.add(at, c);
    if (kept.size() > k) {
      kept.remove(k);
    }
  }

  /** The rows kept so far, smallest priority first (fewer than k when there are fewer distinct rows). */
  public double[][] rows() {
    double[][] r = new double[kept.size()][];
    for (int i = 0; i < r.length; i++) {
      r[i] = kept.get(i).values.clone();
    }
    return r;
  }
}
