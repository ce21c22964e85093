package org.sparkgmm.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hierarchical clustering merges, at every step, the pair of clusters whose union raises
 * {@code sum_c n_c log det((W_c + alpha I) / n_c)} least: checked against a direct greedy search that
 * recomputes every pair's criterion from scratch (determinants by Gaussian elimination), on data
 * where the small-cluster (Gram) and large-cluster (scatter) routes both run.
 */
class AgglomerationTest {
  private static double[][] blobs(int perBlob, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] centres = {{0, 0, 0}, {6, 0, 1}, {0, 7, -2}};
    double[][] z = new double[perBlob * centres.length][];
    for (int i = 0; i < z.length; i++) {
      double[] c = centres[i % centres.length];
      z[i] = new double[] {c[0] + r.nextGaussian(), c[1] + 0.5 * r.nextGaussian(), c[2] + 2 * r.nextGaussian()};
    }
    return z;
  }

  @Test
  void everyMergeIsTheBestOneAvailable() {
    double[][] z = blobs(14, 3);
    int[] ks = {1, 2, 3, 5, 11, 30};
    for (double alpha : new double[] {1.0, 0.05}) {
      int[][] fast = Agglomeration.partitions(z, ks, alpha);
      for (int i = 0; i < ks.length; i++) {
        assertThat(fast[i]).as("k=%d alpha=%s", ks[i], alpha).containsExactly(greedy(z, ks[i], alpha));
      }
    }
  }

  @Test
  void separatedBlobsAreFound() {
    double[][] z = blobs(50, 9);
    int[] labels = Agglomeration.partitions(z, new int[] {3}, 1.0)[0];
    for (int i = 0; i < z.length; i++) {
      assertThat(labels[i]).as("row %d", i).isEqualTo(i % 3);
    }
  }

  @Test
  void kMustFitTheRows() {
    assertThatThrownBy(() -> Agglomeration.partitions(blobs(1, 1), new int[] {4}, 1.0))
        .hasMessage("Cannot cut 3 rows into 4 clusters");
    assertThat(Agglomeration.partitions(blobs(1, 1), new int[] {3}, 1.0)[0]).containsExactly(0, 1, 2);
  }

  /** The greedy agglomeration, every pair's criterion change recomputed from the rows. */
  private static int[] greedy(double[][] z, int k, double alpha) {
    List<List<Integer>> clusters = new ArrayList<>();
    for (int i = 0; i < z.length; i++) {
      clusters.add(new ArrayList<>(List.of(i)));
    }
    while (clusters.size() > k) {
      int bestA = -1;
      int bestB = -1;
      double best = Double.POSITIVE_INFINITY;
      for (int b = 1; b < clusters.size(); b++) {
        for (int a = 0; a < b; a++) {
          List<Integer> union = new ArrayList<>(clusters.get(a));
          union.addAll(clusters.get(b));
          double change = term(z, union, alpha) - term(z, clusters.get(a), alpha) - term(z, clusters.get(b), alpha);
          if (bestA < 0 || change < best - 1e-9 * Math.abs(best)) {
            best = change;
            bestA = a;
            bestB = b;
          }
        }
      }
      clusters.get(bestA).addAll(clusters.remove(bestB));
    }
    int[] labels = new int[z.length];
    clusters.sort((p, q) -> Integer.compare(p.stream().min(Integer::compare).get(), q.stream().min(Integer::compare).get()));
    for (int c = 0; c < clusters.size(); c++) {
      for (int row : clusters.get(c)) {
        labels[row] = c;
      }
    }
    return labels;
  }

  private static double term(double[][] z, List<Integer> rows, double alpha) {
    int d = z[0].length;
    int n = rows.size();
    double[] mean = new double[d];
    for (int row : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += z[row][j] / n;
      }
    }
    double[][] a = new double[d][d];
    for (int row : rows) {
      for (int r = 0; r < d; r++) {
        for (int s = 0; s < d; s++) {
          a[r][s] += (z[row][r] - mean[r]) * (z[row][s] - mean[s]);
        }
      }
    }
    for (int r = 0; r < d; r++) {
      a[r][r] += alpha;
      for (int s = 0; s < d; s++) {
        a[r][s] /= n;
      }
    }
    return n * Math.log(determinant(a));
  }

  /** Gaussian elimination with partial pivoting. */
  private static double determinant(double[][] m) {
    int d = m.length;
    double[][] a = new double[d][];
    for (int r = 0; r < d; r++) {
      a[r] = m[r].clone();
    }
    double det = 1.0;
    for (int c = 0; c < d; c++) {
      int p = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
          p = r;
        }
      }
      if (p != c) {
        double[] t = a[p];
        a[p] = a[c];
        a[c] = t;
        det = -det;
      }
      det *= a[c][c];
      for (int r = c + 1; r < d; r++) {
        double f = a[r][c] / a[c][c];
        for (int s = c; s < d; s++) {
          a[r][s] -= f * a[c][s];
        }
      }
    }
    return det;
  }
}
