package org.sparkgmm.init;

import java.util.SplittableRandom;

/**
 * k-means on a small set of weighted points, on one machine: greedy k-means++ seeding (each step
 * draws {@code 2 + ln k} candidates with probability proportional to {@code w D^2} and keeps the one
 * that lowers the cost most, as in Arthur and Vassilvitskii 2007, section 5 / scikit-learn) followed
 * by Lloyd iterations; the best of several tries by weighted cost. This is the step of k-means||
 * that reduces its weighted candidates to k centres.
 */
public final class WeightedKMeans {
  private static final int LLOYD_ITERATIONS = 50;

  private WeightedKMeans() {}

  /**
   * Clusters the points.
   *
   * @param points m points of dimension d
   * @param weights m non-negative weights
   * @param k number of centres, at most the number of points with positive weight
   * @param seed random seed
   * @param tries independent seedings, the lowest cost wins (the first of costs equal to 1e-9)
   * @return k centres
   * @throws IllegalArgumentException if fewer than k distinct points have positive weight
   */
  public static Centers cluster(double[][] points, double[] weights, int k, long seed, int tries) {
    int m = points.length;
    int d = m == 0 ? 0 : points[0].length;
    SplittableRandom random = new SplittableRandom(seed);
    double[][] best = null;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int t = 0; t < tries; t++) {
      double[][] centres = seedGreedy(points, weights, k, random);
      double cost = lloyd(points, weights, centres, d);
      // Ties (the same partition found again, in another order) go to the earlier try: costs equal
      // up to rounding must not decide, or the order of the components would depend on the units.
      if (best == null || cost < bestCost * (1.0 - 1e-9)) {
        best = centres;
        bestCost = cost;
      }
    }
    return Centers.of(best, d);
  }

  private static double[][] seedGreedy(double[][] p, double[] w, int k, SplittableRandom random) {
    int m = p.length;
    double[][] c = new double[k][];
    double[] nearest = new double[m];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    int trials = 2 + (int) Math.log(k);
    double[] candidate = new double[m];
    for (int step = 0; step < k; step++) {
      double total = 0.0;
      for (int i = 0; i < m; i++) {
        total += w[i] * (step == 0 ? 1.0 : nearest[i]);
      }
      if (!(total > 0.0)) {
        throw new IllegalArgumentException("Cannot choose " + k + " centres: the data have only " + step
            + " distinct rows with positive weight");
      }
      int chosen = -1;
      double chosenCost = Double.POSITIVE_INFINITY;
      for (int t = 0; t < (step == 0 ? 1 : trials); t++) {
        int pick = draw(w, nearest, step == 0, total, random);
        double cost = 0.0;
        for (int i = 0; i < m; i++) {
          candidate[i] = Math.min(nearest[i], distance(p[i], p[pick]));
          cost += w[i] * candidate[i];
        }
        if (cost < chosenCost) {
          chosenCost = cost;
          chosen = pick;
        }
      }
      c[step] = p[chosen].clone();
      for (int i = 0; i < m; i++) {
        nearest[i] = Math.min(nearest[i], distance(p[i], c[step]));
      }
    }
    return c;
  }

  private static int draw(double[] w, double[] nearest, boolean uniform, double total, SplittableRandom random) {
    double target = random.nextDouble() * total;
    double acc = 0.0;
    int last = -1;
    for (int i = 0; i < w.length; i++) {
      double mass = w[i] * (uniform ? 1.0 : nearest[i]);
      if (mass > 0.0) {
        acc += mass;
        last = i;
        if (acc > target) {
          return i;
        }
      }
    }
    return last;
  }

  /** Lloyd iterations in place until no point changes centre; returns the final weighted cost. */
  private static double lloyd(double[][] p, double[] w, double[][] c, int d) {
    int m = p.length;
    int k = c.length;
    int[] assignment = new int[m];
    java.util.Arrays.fill(assignment, -1);
    double cost = Double.POSITIVE_INFINITY;
    for (int iteration = 0; iteration < LLOYD_ITERATIONS; iteration++) {
      boolean changed = false;
      cost = 0.0;
      for (int i = 0; i < m; i++) {
        int nearest = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          double dist = distance(p[i], c[j]);
          if (dist < best) {
            best = dist;
            nearest = j;
          }
        }
        cost += w[i] * best;
        if (assignment[i] != nearest) {
          assignment[i] = nearest;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      double[][] sum = new double[k][d];
      double[] mass = new double[k];
      for (int i = 0; i < m; i++) {
        int a = assignment[i];
        mass[a] += w[i];
        for (int j = 0; j < d; j++) {
          sum[a][j] += w[i] * (p[i][j] - c[a][j]);
        }
      }
      for (int a = 0; a < k; a++) {
        if (mass[a] > 0.0) {
          for (int j = 0; j < d; j++) {
            c[a][j] += sum[a][j] / mass[a];
          }
        }
      }
    }
    return cost;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0.0;
    for (int j = 0; j < a.length; j++) {
      double z = a[j] - b[j];
      s += z * z;
    }
    return s;
  }
}
