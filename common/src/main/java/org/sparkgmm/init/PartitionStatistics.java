package org.sparkgmm.init;

import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;
import org.sparkgmm.em.WorstRows;

/**
 * The statistics of a hard partition, for the M-step that turns k-means centres into a start of
 * any structure: every row has responsibility 1 for its nearest centre (Euclidean, the lowest index
 * among equals), gathered into a template's statistics ({@link Templates}). Also keeps the k rows
 * farthest from every centre, where a centre left without rows is re-seeded.
 */
public final class PartitionStatistics implements BlockAccumulator<PartitionStatistics> {
  private static final long serialVersionUID = 1L;

  private final Shared<Centers> source;
  /** Where the centres live (null: the data's own coordinates). */
  private final Shared<SeedingCoordinates> coordinates;
  private final MixtureStatistics statistics;
  private final WorstRows farthest;
  private double weightSum;
  private long rows;

  private transient NearestScan scan;
  private transient double[] resp;

  /**
   * Empty statistics.
   *
   * @param statistics the template's empty statistics (centred at the centres)
   */
  public PartitionStatistics(Shared<Centers> centres, MixtureStatistics statistics, int k) {
    this(centres, null, statistics, k);
  }

  /**
   * Empty statistics of the partition by centres given in seeding coordinates: the nearest centre
   * and the distances are theirs, the statistics and the farthest rows the data's.
   *
   * @param coordinates the coordinates of the centres, or null for the data's own
   */
  public PartitionStatistics(Shared<Centers> centres, Shared<SeedingCoordinates> coordinates, MixtureStatistics statistics,
      int k) {
    this.source = centres;
    this.coordinates = coordinates;
    this.statistics = statistics;
    this.farthest = new WorstRows(k);
  }

  @Override
  public PartitionStatistics add(RowBlock block) {
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (scan == null) {
      scan = new NearestScan(source.get());
    }
    int k = scan.centers().size();
    if (resp == null || resp.length < n * k) {
      resp = new double[n * k];
    }
    java.util.Arrays.fill(resp, 0, n * k, 0.0);
    scan.run(coordinates == null ? block : coordinates.get().apply(block));
    double bar = farthest.bar();
    for (int i = 0; i < n; i++) {
      resp[scan.index(i) * n + i] = 1.0;
      double score = -scan.distance(i);
      if (score <= bar && block.weight(i) > 0.0) {
        farthest.offer(new WorstRows.Row(score, block.row(i)));
        bar = farthest.bar();
      }
    }
    statistics.add(block, resp);
    weightSum += block.totalWeight();
    rows += n;
    return this;
  }

  @Override
  public PartitionStatistics merge(PartitionStatistics other) {
    statistics.merge(other.statistics);
    farthest.merge(other.farthest);
    weightSum += other.weightSum;
    rows += other.rows;
    return this;
  }

  /** The statistics gathered. */
  public MixtureStatistics statistics() {
    return statistics;
  }

  /** Up to k distinct rows farthest from every centre, farthest first. */
  public java.util.List<double[]> farthestRows() {
    return farthest.rows().stream().map(r -> r.values().clone()).toList();
  }

  /** Sum of row weights. */
  public double weightSum() {
    return weightSum;
  }

  /** Rows added. */
  public long rows() {
    return rows;
  }
}
