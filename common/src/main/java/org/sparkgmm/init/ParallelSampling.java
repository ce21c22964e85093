package org.sparkgmm.init;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * One round of k-means|| (Bahmani et al., 2012, Algorithm 2) in a single pass: every row is kept
 * independently with probability {@code min(1, l w_i D_i^2 / phi)}, {@code phi = sum_i w_i D_i^2}
 * the cost of the current centres, measured in the same pass.
 *
 * <p>Row i draws {@code u_i} from its {@link RowHash}; it is kept iff {@code w_i D_i^2 / u_i > phi / l}.
 * Since {@code phi} is only known at the end, the pass keeps the rows of largest score
 * {@code w_i D_i^2 / u_i}, up to a capacity well above the expected {@code l} kept rows, and applies
 * the threshold afterwards. If more rows than the capacity pass the threshold (probability below
 * 1e-6 at the default capacity), the round keeps the highest-scoring ones.
 */
public final class ParallelSampling implements BlockAccumulator<ParallelSampling> {
  private static final long serialVersionUID = 1L;

  private record Scored(double score, double[] values) implements Serializable {}

  private static final Comparator<Scored> ORDER = Comparator.comparingDouble(Scored::score)
      .thenComparing(Scored::values, Arrays::compare);

  private final Shared<Centers> source;
  private final long seed;
  private final long stream;
  private final double oversampling;
  private final int capacity;
  /** Ascending by {@link #ORDER}: the weakest kept row first. */
  private final List<Scored> kept = new ArrayList<>();
  private double cost;

  private transient NearestScan scan;

  /**
   * @param centers the current centres, at least one
   * @param seed the random seed
   * @param stream the round (so every round draws afresh)
   * @param oversampling {@code l}, the expected number of rows kept, positive
   */
  public ParallelSampling(Shared<Centers> centers, long seed, long stream, double oversampling) {
    if (!(oversampling > 0.0)) {
      throw new IllegalArgumentException("oversampling must be > 0, got " + oversampling);
    }
    this.source = centers;
    this.seed = seed;
    this.stream = stream;
    this.oversampling = oversampling;
    // The number kept is a sum of Bernoullis with mean <= l: l + 6 sqrt(l) + 24 is far in its tail.
    this.capacity = (int) Math.ceil(oversampling + 6.0 * Math.sqrt(oversampling) + 24.0);
  }

  @Override
  public ParallelSampling add(RowBlock block) {
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (scan == null) {
      scan = new NearestScan(source.get());
    }
    scan.run(block);
    for (int i = 0; i < n; i++) {
      double mass = block.weight(i) * scan.distance(i);
      if (mass > 0.0) {
        cost += mass;
        double score = mass / RowHash.uniform(RowHash.of(seed, stream, block, i));
        if (kept.size() < capacity || score > kept.get(0).score()) {
          offer(new Scored(score, block.row(i)));
        }
      }
    }
    return this;
  }

  private void offer(Scored s) {
    int at = java.util.Collections.binarySearch(kept, s, ORDER);
    kept.add(at < 0 ? -at - 1 : at, s);
    if (kept.size() > capacity) {
      kept.remove(0);
    }
  }

  @Override
  public ParallelSampling merge(ParallelSampling other) {
    cost += other.cost;
    for (Scored s : other.kept) {
      offer(s);
    }
    return this;
  }

  /** {@code phi}: the weighted cost of the centres, {@code sum_i w_i D_i^2}. */
  public double cost() {
    return cost;
  }

  /** The rows this round keeps, in a fixed order (by value). */
  public List<double[]> sampled() {
    double threshold = cost / oversampling;
    List<double[]> out = new ArrayList<>();
    for (Scored s : kept) {
      if (s.score() > threshold) {
        out.add(s.values().clone());
      }
    }
    out.sort(Arrays::compare);
    return out;
  }
}
