package org.sparkgmm.init;

import java.util.Arrays;

/**
 * Model-based agglomerative hierarchical clustering (Banfield and Raftery, 1993; Fraley, 1998) of a
 * bounded sample, on the driver: every row starts as its own cluster, and each step merges the two
 * clusters whose union lowers the classification likelihood of a mixture of unconstrained Gaussians
 * least, until k clusters are left.
 *
 * <p>The criterion (lower is better) is {@code sum_c n_c log det((W_c + alpha I) / n_c)}, where
 * {@code W_c} is cluster c's scatter matrix: the classification log-likelihood of ellipsoidal
 * clusters of any volume, shape and orientation, each covariance estimated with the prior scatter
 * {@code alpha I}, so that clusters smaller than the dimension have one. On rows in whitened
 * coordinates ({@link SeedingCoordinates#whitened}) {@code alpha I} is alpha times the data
 * covariance, and the criterion, hence every merge, is the same in any linear coordinates.
 * Small clusters merge as Ward's criterion would merge them; large ones by their covariances.
 *
 * <p>Costs: a merge's criterion change is {@code O(n^2 d + n^3)} for a union of n &lt;= d rows
 * (through the n x n Gram matrix) and {@code O(d^3)} beyond; each step evaluates the new cluster
 * against every other, and keeps each cluster's best partner, so the whole tree costs about
 * {@code m^2} evaluations and {@code m^2 / 2} stored changes for m rows.
 */
final class Agglomeration {
  private final int m;
  private final int d;
  private final double[][] z;
  private final double alpha;
  private final double logAlpha;

  /** Per slot (a cluster lives in the slot of its first row): members, size, mean, scatter (null for one row), term. */
  private final int[][] members;
  private final int[] size;
  private final double[][] mean;
  private final double[][] scatter;
  private final double[] term;
  private final boolean[] active;
  /** Criterion changes of merging slots a &lt; b, at {@code b (b - 1) / 2 + a}. */
  private final double[] change;
  private final int[] partner;
  private final double[] partnerChange;

  private Agglomeration(double[][] z, double alpha) {
    this.m = z.length;
    this.d = z[0].length;
    this.z = z;
    this.alpha = alpha;
    this.logAlpha = Math.log(alpha);
    members = new int[m][];
    size = new int[m];
    mean = new double[m][];
    scatter = new double[m][];
    term = new double[m];
    active = new boolean[m];
    change = new double[(int) ((long) m * (m - 1) / 2)];
    partner = new int[m];
    partnerChange = new double[m];
    for (int a = 0; a < m; a++) {
      members[a] = new int[] {a};
      size[a] = 1;
      mean[a] = z[a].clone();
      term[a] = d * logAlpha;
      active[a] = true;
    }
  }

  /**
   * The partitions of {@code z}'s rows into each of {@code ks}' numbers of clusters, from one tree:
   * {@code [i][row]} the cluster (0 .. ks[i]-1, numbered in the order of their first rows) of each
   * row for {@code ks[i]}.
   *
   * @param z distinct rows, in whitened coordinates
   * @param alpha the prior scatter's scale, &gt; 0
   * @throws IllegalArgumentException if some k is below 1 or above the rows
   */
  static int[][] partitions(double[][] z, int[] ks, double alpha) {
    for (int k : ks) {
      if (k < 1 || k > z.length) {
        throw new IllegalArgumentException("Cannot cut " + z.length + " rows into " + k + " clusters");
      }
    }
    if (!(alpha > 0.0)) {
      throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
    }
    int[][] out = new int[ks.length][];
    Agglomeration a = new Agglomeration(z, alpha);
    int left = z.length;
    a.cutAt(ks, left, out);
    if (left > 1 && Arrays.stream(ks).anyMatch(k -> k < z.length)) {
      a.initialise();
      int lowest = Arrays.stream(ks).min().getAsInt();
      while (left > lowest) {
        a.mergeBest();
        left--;
        a.cutAt(ks, left, out);
      }
    }
    return out;
  }

  private void cutAt(int[] ks, int left, int[][] out) {
    for (int i = 0; i < ks.length; i++) {
      if (ks[i] == left) {
        int[] labels = new int[m];
        int next = 0;
        for (int s = 0; s < m; s++) {
          if (active[s]) {
            for (int row : members[s]) {
              labels[row] = next;
            }
            next++;
          }
        }
        out[i] = labels;
      }
    }
  }

  private static int at(int a, int b) {
    return a < b ? b * (b - 1) / 2 + a : a * (a - 1) / 2 + b;
  }

  private void initialise() {
    for (int b = 1; b < m; b++) {
      for (int a = 0; a < b; a++) {
        change[at(a, b)] = unionTerm(a, b) - term[a] - term[b];
      }
    }
    for (int a = 0; a < m; a++) {
      rescan(a);
    }
  }

  /** Slot a's best partner among the active slots (ties: the lower slot). */
  private void rescan(int a) {
    int best = -1;
    double bestChange = Double.POSITIVE_INFINITY;
    for (int c = 0; c < m; c++) {
      if (c != a && active[c]) {
        double v = change[at(a, c)];
        if (best < 0 || v < bestChange) {
          best = c;
          bestChange = v;
        }
      }
    }
    partner[a] = best;
    partnerChange[a] = bestChange;
  }

  private void mergeBest() {
    int a = -1;
    for (int s = 0; s < m; s++) {
      if (active[s] && partner[s] >= 0 && (a < 0 || partnerChange[s] < partnerChange[a])) {
        a = s;
      }
    }
    int b = partner[a];
    int keep = Math.min(a, b);
    int gone = Math.max(a, b);
    merge(keep, gone);
    for (int c = 0; c < m; c++) {
      if (active[c] && c != keep) {
        change[at(keep, c)] = unionTerm(keep, c) - term[keep] - term[c];
      }
    }
    for (int c = 0; c < m; c++) {
      if (!active[c] || c == keep) {
        continue;
      }
      double v = change[at(keep, c)];
      if (partner[c] == keep || partner[c] == gone) {
        rescan(c);
      } else if (v < partnerChange[c] || (v == partnerChange[c] && keep < partner[c])) {
        partner[c] = keep;
        partnerChange[c] = v;
      }
    }
    rescan(keep);
  }

  private void merge(int a, int b) {
    int na = size[a];
    int nb = size[b];
    int n = na + nb;
    double[] delta = new double[d];
    double[] mu = new double[d];
    for (int j = 0; j < d; j++) {
      delta[j] = mean[a][j] - mean[b][j];
      mu[j] = (na * mean[a][j] + nb * mean[b][j]) / n;
    }
    double[] w = new double[d * d];
    double c = (double) na * nb / n;
    for (int r = 0; r < d; r++) {
      for (int s = 0; s < d; s++) {
        w[r * d + s] = (scatter[a] == null ? 0.0 : scatter[a][r * d + s])
            + (scatter[b] == null ? 0.0 : scatter[b][r * d + s]) + c * delta[r] * delta[s];
      }
    }
    term[a] = unionTerm(a, b);
    int[] joined = Arrays.copyOf(members[a], n);
    System.arraycopy(members[b], 0, joined, na, nb);
    members[a] = joined;
    size[a] = n;
    mean[a] = mu;
    scatter[a] = w;
    active[b] = false;
    members[b] = null;
    mean[b] = null;
    scatter[b] = null;
  }

  /** {@code n log det((W + alpha I) / n)} of the union of slots a and b. */
  private double unionTerm(int a, int b) {
    int na = size[a];
    int nb = size[b];
    int n = na + nb;
    double logDet = n <= d ? smallLogDet(a, b, n) : largeLogDet(a, b, n);
    return n * (logDet - d * Math.log(n));
  }

  /**
   * {@code log det(W + alpha I) = d log alpha + log det(I + X X^T / alpha)}, X the union's n rows
   * centred at its mean.
   */
  private double smallLogDet(int a, int b, int n) {
    double[] mu = new double[d];
    for (int j = 0; j < d; j++) {
      mu[j] = (size[a] * mean[a][j] + size[b] * mean[b][j]) / n;
    }
    double[][] x = new double[n][];
    int i = 0;
    for (int[] of : new int[][] {members[a], members[b]}) {
      for (int row : of) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
          v[j] = z[row][j] - mu[j];
        }
        x[i++] = v;
      }
    }
    double[] g = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int s = 0; s <= r; s++) {
        double v = 0.0;
        for (int j = 0; j < d; j++) {
          v += x[r][j] * x[s][j];
        }
        g[r * n + s] = v / alpha + (r == s ? 1.0 : 0.0);
      }
    }
    return d * logAlpha + logDet(g, n);
  }

  /** {@code log det(W_a + W_b + (n_a n_b / n) delta delta^T + alpha I)}. */
  private double largeLogDet(int a, int b, int n) {
    double c = (double) size[a] * size[b] / n;
    double[] g = new double[d * d];
    double[] wa = scatter[a];
    double[] wb = scatter[b];
    for (int r = 0; r < d; r++) {
      double dr = mean[a][r] - mean[b][r];
      for (int s = 0; s <= r; s++) {
        double v = c * dr * (mean[a][s] - mean[b][s]);
        if (wa != null) {
          v += wa[r * d + s];
        }
        if (wb != null) {
          v += wb[r * d + s];
        }
        g[r * d + s] = v + (r == s ? alpha : 0.0);
      }
    }
    return logDet(g, d);
  }

  /**
   * The log-determinant of a symmetric positive definite matrix from its lower triangle (row-major,
   * {@code a[r * n + s]} for s &lt;= r), factorised in place (Cholesky).
   */
  static double logDet(double[] a, int n) {
    double sum = 0.0;
    for (int r = 0; r < n; r++) {
      for (int s = 0; s <= r; s++) {
        double v = a[r * n + s];
        for (int q = 0; q < s; q++) {
          v -= a[r * n + q] * a[s * n + q];
        }
        if (r == s) {
          if (!(v > 0.0)) {
            throw new ArithmeticException("matrix not positive definite");
          }
          double root = Math.sqrt(v);
          a[r * n + r] = root;
          sum += Math.log(root);
        } else {
          a[r * n + s] = v / a[s * n + s];
        }
      }
    }
    return 2.0 * sum;
  }
}
