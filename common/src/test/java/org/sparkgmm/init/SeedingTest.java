package org.sparkgmm.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.testing.LocalEm;
import org.sparkgmm.testing.LocalPass;

/** The sampling steps draw with the probabilities they promise, and partitioning changes nothing. */
class SeedingTest {
  /** Four rows at distances 1, 2, 3 and 0 from the one centre, with weights 1, 1, 2, 5. */
  private static final double[][] ROWS = {{1.0}, {2.0}, {3.0}, {0.0}};
  private static final double[] WEIGHTS = {1.0, 1.0, 2.0, 5.0};

  @Test
  void d2SamplerDrawsProportionallyToWeightTimesSquaredDistance() {
    RowBlock block = RowBlock.fromRows(ROWS, WEIGHTS);
    Centers centre = Centers.of(new double[][] {{0.0}}, 1);
    double[] mass = {1.0, 4.0, 18.0, 0.0};
    int draws = 6000;
    int[] counts = new int[ROWS.length];
    for (int stream = 0; stream < draws; stream++) {
      double[] row = new D2Sampler(() -> centre, 42, stream).add(block).drawn();
      counts[(int) row[0] == 0 ? 3 : (int) row[0] - 1]++;
    }
    assertThat(counts[3]).as("a row on the centre is never drawn").isZero();
    for (int i = 0; i < 3; i++) {
      double p = mass[i] / 23.0;
      double se = Math.sqrt(draws * p * (1 - p));
      assertThat((double) counts[i]).as("draws of row %d", i).isBetween(draws * p - 4.5 * se, draws * p + 4.5 * se);
    }
  }

  @Test
  void parallelSamplingKeepsEachRowWithItsBahmaniProbability() {
    Random random = new Random(3);
    double[][] rows = new double[400][2];
    for (double[] r : rows) {
      r[0] = random.nextGaussian() * 3;
      r[1] = random.nextGaussian();
    }
    List<RowBlock> blocks = LocalEm.split(RowBlock.fromRows(rows, null), 64);
    Centers centre = Centers.of(new double[][] {{0.0, 0.0}}, 2);
    double l = 6.0;
    double cost = 0.0;
    for (double[] r : rows) {
      cost += r[0] * r[0] + r[1] * r[1];
    }
    double expected = 0.0;
    double variance = 0.0;
    for (double[] r : rows) {
      double p = Math.min(1.0, l * (r[0] * r[0] + r[1] * r[1]) / cost);
      expected += p;
      variance += p * (1 - p);
    }
    int rounds = 500;
    long kept = 0;
    for (int stream = 0; stream < rounds; stream++) {
      ParallelSampling s = LocalPass.partitioned(blocks, 3).run("round", new ParallelSampling(() -> centre, 9, stream, l));
      assertThat(s.cost()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9 * cost));
      kept += s.sampled().size();
    }
    double se = Math.sqrt(rounds * variance);
    assertThat((double) kept).as("rows kept over %d rounds", rounds)
        .isBetween(rounds * expected - 4.5 * se, rounds * expected + 4.5 * se);
  }

  @Test
  void kMeansParallelAndLloydDoNotDependOnPartitioning() {
    Random random = new Random(5);
    double[][] rows = new double[3000][3];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < 3; j++) {
        rows[i][j] = random.nextGaussian() + 4.0 * (i % 6) * (j == i % 3 ? 1 : 0);
      }
    }
    List<RowBlock> blocks = LocalEm.split(RowBlock.fromRows(rows, null), 100);
    long[] seeds = {1, 2};
    List<double[]> reference = null;
    for (int partitions : new int[] {1, 2, 7}) {
      LocalPass pass = LocalPass.partitioned(blocks, partitions);
      List<double[]> first = DistributedKMeans.firstRows(pass, 3, seeds);
      List<Centers> seeded = DistributedKMeans.parallel(pass, first, seeds, 6, 5, line -> { });
      List<Centers> settled = DistributedKMeans.lloyd(pass, seeded, 5, 1e-4, line -> { });
      List<double[]> flat = new ArrayList<>();
      for (Centers c : settled) {
        assertThat(c.size()).isEqualTo(6);
        flat.add(flat(c.points()));
      }
      if (reference == null) {
        reference = flat;
      } else {
        for (int s = 0; s < seeds.length; s++) {
          assertRelClose(flat.get(s), reference.get(s), SUMMATION_ORDER, partitions + " partitions, seed " + s);
        }
      }
    }
  }

  @Test
  void kMeansPlusPlusRefusesDataWithFewerDistinctRowsThanCentres() {
    double[][] rows = {{1.0, 1.0}, {1.0, 1.0}, {2.0, 2.0}, {2.0, 2.0}};
    LocalPass pass = LocalPass.of(List.of(RowBlock.fromRows(rows, null)));
    long[] seeds = {0};
    List<double[]> first = DistributedKMeans.firstRows(pass, 2, seeds);
    assertThatThrownBy(() -> DistributedKMeans.plusPlus(pass, first, seeds, 3, line -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 2 distinct rows");
    assertThatThrownBy(() -> DistributedKMeans.parallel(pass, first, seeds, 3, 5, line -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 2 distinct rows");
  }

  @Test
  void weightedKMeansFindsSeparatedGroups() {
    double[][] points = {{0.0}, {0.1}, {10.0}, {10.2}, {20.0}};
    double[] weights = {1, 1, 3, 1, 2};
    Centers c = WeightedKMeans.cluster(points, weights, 3, 7, 3);
    double[] found = flat(c.points());
    java.util.Arrays.sort(found);
    assertThat(found).containsExactly(new double[] {0.05, 10.05, 20.0}, org.assertj.core.data.Offset.offset(1e-12));
  }
}
