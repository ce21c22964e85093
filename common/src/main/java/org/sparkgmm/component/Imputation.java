package org.sparkgmm.component;

import java.util.HashMap;
import java.util.Map;
import org.sparkgmm.data.RowBlock;

/**
 * The conditional expectations of a block's missing values under a mixture, gathered part by part:
 * {@code E[x_j | x_O] = sum_c P(c | x_O) E_c[x_j | x_O]}, since a component's parts are
 * independent. A Categorical feature takes its most probable category,
 * {@code argmax_l sum_c P(c | x_O) p_cl} (the expectation of a code means nothing); every other
 * family its conditional mean (a Bernoulli's is a probability, a Poisson's a rate).
 */
public final class Imputation {
  private final RowBlock block;
  private final int n;
  private final double[] sums;
  /** Per categorical feature: {@code n x L} posterior category masses, column-major. */
  private final Map<Integer, double[]> levels = new HashMap<>();
  private final Map<Integer, Integer> levelCounts = new HashMap<>();

  /** An empty imputation of {@code block}'s missing values (all of the mixture's features). */
  public Imputation(RowBlock block) {
    this.block = block;
    this.n = block.rows();
    this.sums = new double[n * block.features()];
  }

  /** Adds {@code weight * value} to the expectation of (row, feature). */
  void add(int feature, int row, double weight, double value) {
    sums[feature * n + row] += weight * value;
  }

  /** Adds {@code weight} to category {@code level} (of {@code count}) of (row, feature). */
  void addLevel(int feature, int row, int level, int count, double weight) {
    double[] mass = levels.get(feature);
    int have = levelCounts.getOrDefault(feature, 0);
    if (mass == null || have < count) {
      double[] grown = new double[n * count];
      if (mass != null) {
        System.arraycopy(mass, 0, grown, 0, mass.length);
      }
      mass = grown;
      levels.put(feature, mass);
      levelCounts.put(feature, count);
    }
    mass[level * n + row] += weight;
  }

  /**
   * The block's values, column-major, with every missing value replaced by its expectation; the
   * observed values are copied unchanged.
   */
  public double[] completed() {
    double[] x = block.columnMajorValues();
    double[] out = x.clone();
    int d = block.features();
    for (int j = 0; j < d; j++) {
      double[] mass = levels.get(j);
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(x[j * n + i])) {
          continue;
        }
        if (mass == null) {
          out[j * n + i] = sums[j * n + i];
          continue;
        }
        int count = levelCounts.get(j);
        int best = 0;
        for (int l = 1; l < count; l++) {
          if (mass[l * n + i] > mass[best * n + i]) {
            best = l;
          }
        }
        out[j * n + i] = best;
      }
    }
    return out;
  }
}
