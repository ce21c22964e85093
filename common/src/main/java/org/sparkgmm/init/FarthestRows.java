package org.sparkgmm.init;

import java.util.List;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;
import org.sparkgmm.em.WorstRows;

/**
 * The {@code count} distinct rows with the largest {@code w D^2} (weight times squared distance to
 * the nearest centre; ties by the row values, so the result does not depend on partitioning).
 * k-means||'s fallback when its random rounds found fewer than k candidates: rows with equal values
 * share their random draws, so on data with few distinct values (Bernoulli, categorical, small
 * counts) a duplicated value is drawn with its single row's probability and may never be drawn.
 */
public final class FarthestRows implements BlockAccumulator<FarthestRows> {
  private static final long serialVersionUID = 1L;

  private final Shared<Centers> source;
  private final WorstRows farthest;

  private transient NearestScan scan;

  /** Empty, for these centres. */
  public FarthestRows(Shared<Centers> centres, int count) {
    this.source = centres;
    this.farthest = new WorstRows(count);
  }

  @Override
  public FarthestRows add(RowBlock block) {
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (scan == null) {
      scan = new NearestScan(source.get());
    }
    scan.run(block);
    double bar = farthest.bar();
    for (int i = 0; i < n; i++) {
      double score = -block.weight(i) * scan.distance(i);
      if (score < 0.0 && score <= bar) {
        farthest.offer(new WorstRows.Row(score, block.row(i)));
        bar = farthest.bar();
      }
    }
    return this;
  }

  @Override
  public FarthestRows merge(FarthestRows other) {
    farthest.merge(other.farthest);
    return this;
  }

  /** The rows, farthest first. */
  public List<double[]> rows() {
    return farthest.rows().stream().map(r -> r.values().clone()).toList();
  }
}
