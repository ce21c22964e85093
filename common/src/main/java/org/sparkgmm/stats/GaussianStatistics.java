package org.sparkgmm.stats;

import java.io.Serializable;
import java.util.Arrays;
import org.sparkgmm.data.MissingPatterns;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.linalg.FeatureKernels;

/**
 * Mergeable sufficient statistics of k Gaussian components, centred at fixed points {@code c_k}
 * (the previous means) so that data far from the origin keep their precision.
 *
 * <p>With {@code u_i = w_i r_ik} (row weight times responsibility) and {@code z_i = x_i - c_k}:
 * {@code N_k = sum u_i}, {@code S1_k = sum u_i z_i}, and {@code S2_k = sum u_i z_i z_i^T} (full),
 * its diagonal (diag, spherical), or {@code sum_k S2_k} (tied). {@link #merge} is associative and
 * commutative up to floating-point summation order.
 *
 * <p>Rows with missing values (NaN), grouped by pattern, enter by full-information maximum
 * likelihood. Diagonal and spherical: each feature's sums and mass {@code N_kj} cover the rows where
 * it is observed (per-feature denominators). Full and tied, gathered {@link #at} the current
 * parameters: the missing coordinates take their conditional mean {@code B z_O} and the second
 * moments gain the conditional covariance {@code C} (Ghahramani and Jordan, 1994), so that per
 * pattern and component {@code S1 += [a; B a]} and {@code S2 += [M, M B^T; B M, B M B^T + N C]}
 * from the observed block's own {@code N, a, M}: one factorisation per pattern and component.
 */
public final class GaussianStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CovarianceType type;
  private final int k;
  private final int d;
  private final double[] centers;
  private final double[] weightSums;
  private final double[] firstMoments;
  private final double[] secondMoments;
  /** Full and tied: the parameters gathered at (centres = means), for rows with missing values; else null. */
  private final Gaussians at;
  /** Diagonal and spherical: {@code N_kj}, the mass of the rows with feature j observed; null while every row was complete. */
  private double[] featureMass;
  /**
   * Rows with missing values not yet expanded into the moments: per observed pattern, their
   * statistics on the observed features, which are additive, so a task expands each pattern once
   * (when the statistics are read, merged or sent) instead of once per block.
   */
  private transient java.util.Map<String, Pending> pending;
  /** Patterns held unexpanded at most; one more flushes them. */
  private static final int MAX_PENDING = 256;

  private record Pending(int[] observed, GaussianStatistics statistics) {}

  /** Work space of the running task, reused from block to block; never serialized. */
  private transient double[] reference;
  private transient double[] work;
  private transient double[] rowWork;
  private transient double[] uWork;
  private transient double[] momentWork;

  private GaussianStatistics(CovarianceType type, double[] centers, int k, int d) {
    this(type, centers, k, d, null);
  }

  private GaussianStatistics(CovarianceType type, double[] centers, int k, int d, Gaussians at) {
    this.at = at;
    this.type = type;
    this.k = k;
    this.d = d;
    this.centers = centers;
    this.weightSums = new double[k];
    this.firstMoments = new double[k * d];
    this.secondMoments = new double[switch (type) {
      case FULL -> k * d * d;
      case TIED -> d * d;
      case DIAG, SPHERICAL -> k * d;
    }];
  }

  /**
   * Empty statistics centred at {@code centers}.
   *
   * @param centers {@code [k][d]} centring points, finite (normally the current means)
   * @throws IllegalArgumentException on ragged or non-finite centres
   */
  public static GaussianStatistics empty(CovarianceType type, double[][] centers) {
    int k = centers.length;
    int d = centers[0].length;
    double[] c = new double[k * d];
    for (int i = 0; i < k; i++) {
      if (centers[i].length != d) {
        throw new IllegalArgumentException("Centre " + i + " has " + centers[i].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(centers[i][j])) {
          throw new IllegalArgumentException("Centre " + i + " has a non-finite value");
        }
        c[i * d + j] = centers[i][j];
      }
    }
    return new GaussianStatistics(type, c, k, d);
  }

  /**
   * Empty statistics centred at the means of {@code g}, which also gives rows with missing values
   * their conditional expectations (full and tied).
   */
  public static GaussianStatistics at(Gaussians g) {
    GaussianStatistics s = empty(g.covarianceType(), g.means());
    CovarianceType t = g.covarianceType();
    return t == CovarianceType.FULL || t == CovarianceType.TIED
        ? new GaussianStatistics(t, s.centers, s.k, s.d, g) : s;
  }

  /**
   * Adds a block with its responsibilities, {@link Gaussians#CHUNK_ROWS} rows at a time.
   *
   * <p>Full and tied: per component and chunk, {@code Z = diag(sqrt(u)) (X - 1 c^T)} is formed once;
   * {@code S2 += Z^T Z} is one SYRK and {@code S1 += Z^T sqrt(u)} one GEMV. Diagonal and spherical:
   * all components at once, {@code U^T [Z∘Z | Z | 1]} with {@code Z = X - 1 r^T} centred at the mean
   * of the centres {@code r} is one GEMM per chunk giving the second and first moments and the
   * masses about {@code r}, which are then moved to each component's centre ({@code e = c - r}:
   * {@code S1 - N e}, {@code S2 - 2 e∘S1 + N e∘e}).
   *
   * @param resp column-major {@code n x k} responsibilities {@code r_ik} (not weighted)
   * @return this
   */
  public GaussianStatistics add(RowBlock block, double[] resp) {
    return add(block, resp, !Blas.isNative());
  }

  /**
   * {@link #add(RowBlock, double[])} with the choice between SYRK per component and quadratic
   * features made by the caller ({@code gemmOnly}, see {@link Gaussians#usesQuadraticFeatures})
   * rather than by the BLAS in use. Both must agree; tests run both.
   */
  public GaussianStatistics add(RowBlock block, double[] resp, boolean gemmOnly) {
    int n = block.rows();
    if (block.features() != d) {
      throw new IllegalArgumentException("Block has " + block.features() + " features, statistics " + d);
    }
    if (block.hasMissing()) {
      addIncomplete(block, resp, gemmOnly);
      return this;
    }
    double[] before = featureMass == null ? null : weightSums.clone();
    double[] x = block.columnMajorValues();
    boolean quadratic = Gaussians.usesQuadraticFeatures(type, d, gemmOnly);
    for (int i0 = 0; i0 < n; i0 += Gaussians.CHUNK_ROWS) {
      int m = Math.min(Gaussians.CHUNK_ROWS, n - i0);
      if (quadratic) {
        addQuadratic(block, x, n, i0, m, resp);
      } else if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
        addCrossProducts(block, x, n, i0, m, resp);
      } else {
        addDiagonal(block, x, n, i0, m, resp);
      }
    }
    if (before != null) {
      for (int c = 0; c < k; c++) {
        double added = weightSums[c] - before[c];
        for (int j = 0; j < d; j++) {
          featureMass[c * d + j] += added;
        }
      }
    }
    return this;
  }

  /** Rows with missing values: per pattern, the observed block's statistics, expanded (class comment). */
  private void addIncomplete(RowBlock block, double[] resp, boolean gemmOnly) {
    int n = block.rows();
    boolean diagonal = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
    if (!diagonal && at == null) {
      throw new IllegalStateException("Statistics of rows with missing values need the parameters they are"
          + " gathered at (GaussianStatistics.at)");
    }
    if (diagonal && featureMass == null) {
      featureMass = new double[k * d];
      for (int c = 0; c < k; c++) {
        Arrays.fill(featureMass, c * d, (c + 1) * d, weightSums[c]);
      }
    }
    for (MissingPatterns.Pattern p : block.missingPatterns()) {
      int[] obs = p.observed();
      int o = obs.length;
      double[] r = MissingPatterns.gatherRows(resp, n, k, p.rows());
      if (o == 0) {
        // Nothing observed: the mass counts; full and tied add N Sigma (the conditional covariance).
        int m = p.rows().length;
        for (int c = 0; c < k; c++) {
          double nk = 0.0;
          for (int i = 0; i < m; i++) {
            nk += block.weight(p.rows()[i]) * r[c * m + i];
          }
          weightSums[c] += nk;
          if (!diagonal && nk > 0.0) {
            addExpanded(c, obs, nk, new double[0], new double[0]);
          }
        }
        continue;
      }
      if (pending == null) {
        pending = new java.util.HashMap<>();
      }
      String key = Arrays.toString(obs);
      Pending waiting = pending.get(key);
      if (waiting == null) {
        if (pending.size() >= MAX_PENDING) {
          flush();
        }
        double[] sub = new double[k * o];
        for (int c = 0; c < k; c++) {
          for (int a = 0; a < o; a++) {
            sub[c * o + a] = centers[c * d + obs[a]];
          }
        }
        waiting = new Pending(obs, new GaussianStatistics(diagonal ? CovarianceType.DIAG : CovarianceType.FULL,
            sub, k, o));
        pending.put(key, waiting);
      }
      waiting.statistics().add(MissingPatterns.gather(block, p), r, gemmOnly);
    }
  }

  /** Expands the pending patterns into the moments (class comment). */
  private void flush() {
    if (pending == null || pending.isEmpty()) {
      return;
    }
    boolean diagonal = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
    for (Pending waiting : pending.values()) {
      int[] obs = waiting.observed();
      int o = obs.length;
      GaussianStatistics observed = waiting.statistics();
      for (int c = 0; c < k; c++) {
        double nk = observed.weightSums[c];
        weightSums[c] += nk;
        if (diagonal) {
          for (int a = 0; a < o; a++) {
            int j = obs[a];
            featureMass[c * d + j] += nk;
            firstMoments[c * d + j] += observed.firstMoments[c * o + a];
            secondMoments[c * d + j] += observed.secondMoments[c * o + a];
          }
        } else if (nk > 0.0) {
          addExpanded(c, obs, nk, observed.firstMoment(c), observed.secondMoment(c));
        }
      }
    }
    pending.clear();
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flush();
    out.defaultWriteObject();
  }

  /**
   * Adds component c's statistics of rows observed on {@code obs} only: {@code a} (o) and {@code mo}
   * (o x o, symmetric) about the centre, expanded with the conditional regression.
   */
  private void addExpanded(int c, int[] obs, double nk, double[] a, double[] mo) {
    int o = obs.length;
    int[] mis = Gaussians.complement(obs, d);
    int m = mis.length;
    double[] b;
    double[] cond;
    if (o == 0) {
      b = new double[0];
      double[][] s = at.covarianceMatrix(c);
      cond = new double[d * d];
      for (int q = 0; q < d; q++) {
        for (int p = 0; p < d; p++) {
          cond[q * d + p] = s[p][q];
        }
      }
    } else {
      double[][] bc = at.conditional(c, obs);
      b = bc[0];
      cond = bc[1];
    }
    // Full d x d contribution, column-major, in the order [obs..., mis...] mapped back to features.
    double[] ba = new double[m];
    double[] bm = new double[m * o];
    for (int i = 0; i < m; i++) {
      double v = 0.0;
      for (int q = 0; q < o; q++) {
        v += b[q * m + i] * a[q];
      }
      ba[i] = v;
      for (int col = 0; col < o; col++) {
        double w = 0.0;
        for (int q = 0; q < o; q++) {
          w += b[q * m + i] * mo[col * o + q];
        }
        bm[col * m + i] = w;
      }
    }
    for (int q = 0; q < o; q++) {
      firstMoments[c * d + obs[q]] += a[q];
    }
    for (int i = 0; i < m; i++) {
      firstMoments[c * d + mis[i]] += ba[i];
    }
    int off = type == CovarianceType.FULL ? c * d * d : 0;
    for (int col = 0; col < o; col++) {
      for (int row = 0; row < o; row++) {
        addLower(off, obs[row], obs[col], mo[col * o + row]);
      }
      for (int row = 0; row < m; row++) {
        // The (missing, observed) block is visited once: its entry and its mirror share a lower slot.
        int hi = Math.max(mis[row], obs[col]);
        int lo = Math.min(mis[row], obs[col]);
        secondMoments[off + lo * d + hi] += bm[col * m + row];
      }
    }
    for (int col = 0; col < m; col++) {
      for (int row = 0; row < m; row++) {
        double v = nk * cond[col * m + row];
        for (int q = 0; q < o; q++) {
          v += bm[q * m + row] * b[q * m + col];
        }
        addLower(off, mis[row], mis[col], v);
      }
    }
  }

  /**
   * Adds {@code v} at (row, col) of a symmetric matrix whose lower triangle is stored; the upper
   * half is skipped (callers visit both orders of every pair).
   */
  private void addLower(int off, int row, int col, double v) {
    if (row >= col) {
      secondMoments[off + col * d + row] += v;
    }
  }

  private void addCrossProducts(RowBlock block, double[] x, int n, int i0, int m, double[] resp) {
    double[] z = work(m * d);
    double[] root = rowWork(m);
    for (int c = 0; c < k; c++) {
      int ro = c * n + i0;
      double nk = 0.0;
      for (int i = 0; i < m; i++) {
        double u = block.weight(i0 + i) * resp[ro + i];
        nk += u;
        root[i] = Math.sqrt(u);
      }
      if (nk == 0.0) {
        continue;
      }
      weightSums[c] += nk;
      for (int j = 0; j < d; j++) {
        double center = centers[c * d + j];
        int from = j * n + i0;
        int to = j * m;
        for (int i = 0; i < m; i++) {
          z[to + i] = root[i] * (x[from + i] - center);
        }
      }
      // S1 += Z^T sqrt(u) = sum u (x - c); S2 += Z^T Z on the lower triangle.
      Blas.blas().dgemv("T", m, d, 1.0, z, 0, m, root, 0, 1, 1.0, firstMoments, c * d, 1);
      int off = type == CovarianceType.FULL ? c * d * d : 0;
      Blas.blas().dsyrk("L", "T", d, m, 1.0, z, 0, m, 1.0, secondMoments, off, d);
    }
  }

  /**
   * Small d, full or tied: {@code U^T F} over the quadratic features F centred at {@code r} is one
   * GEMM giving every component's mass and first and second moments about {@code r}; they are
   * moved to the component's centre ({@code e = c - r}):
   * {@code S1 - N e} and {@code S2 - e S1^T - S1 e^T + N e e^T} (S1 about r).
   */
  private void addQuadratic(RowBlock block, double[] x, int n, int i0, int m, double[] resp) {
    int width = FeatureKernels.quadraticWidth(d);
    int linear = d * (d + 1) / 2;
    double[] f = work(m * width);
    double[] reference = reference();
    FeatureKernels.get().quadraticFeatures(x, n, i0, m, reference, f);
    double[] t = momentsAboutReference(block, resp, n, i0, m, f, width);
    for (int c = 0; c < k; c++) {
      double nk = t[(width - 1) * k + c];
      weightSums[c] += nk;
      int off = type == CovarianceType.FULL ? c * d * d : 0;
      int q = 0;
      for (int b = 0; b < d; b++) {
        double eb = centers[c * d + b] - reference[b];
        double s1b = t[(linear + b) * k + c];
        for (int a = b; a < d; a++) {
          double ea = centers[c * d + a] - reference[a];
          double s1a = t[(linear + a) * k + c];
          secondMoments[off + b * d + a] += t[q++ * k + c] - ea * s1b - s1a * eb + nk * ea * eb;
        }
      }
      for (int a = 0; a < d; a++) {
        firstMoments[c * d + a] += t[(linear + a) * k + c] - nk * (centers[c * d + a] - reference[a]);
      }
    }
  }

  /** {@code (w∘R)^T F} for the chunk: k x width, column-major. */
  private double[] momentsAboutReference(RowBlock block, double[] resp, int n, int i0, int m, double[] f,
      int width) {
    double[] u = resp;
    int uOff = i0;
    int ld = n;
    if (!block.unitWeights()) {
      u = uWork(m * k);
      for (int c = 0; c < k; c++) {
        for (int i = 0; i < m; i++) {
          u[c * m + i] = block.weight(i0 + i) * resp[c * n + i0 + i];
        }
      }
      uOff = 0;
      ld = m;
    }
    double[] t = momentWork(k * width);
    FeatureKernels.get().transposeTimes(m, k, width, u, uOff, ld, f, t);
    return t;
  }

  private void addDiagonal(RowBlock block, double[] x, int n, int i0, int m, double[] resp) {
    int width = 2 * d + 1;
    double[] a = work(m * width);
    double[] reference = reference();
    FeatureKernels.get().centredPowers(x, n, i0, m, reference, a, true);
    // t (k x (2d+1)) = U^T [Z∘Z | Z | 1]: columns 0..d-1 second moments, d..2d-1 first, 2d the mass.
    double[] t = momentsAboutReference(block, resp, n, i0, m, a, width);
    for (int c = 0; c < k; c++) {
      double nk = t[2 * d * k + c];
      weightSums[c] += nk;
      for (int j = 0; j < d; j++) {
        double e = centers[c * d + j] - reference[j];
        double s1 = t[(d + j) * k + c];
        firstMoments[c * d + j] += s1 - nk * e;
        secondMoments[c * d + j] += t[j * k + c] - 2.0 * e * s1 + nk * e * e;
      }
    }
  }

  /** The centre of the one-GEMM paths: the mean of the centres, computed once per task. */
  private double[] reference() {
    if (reference == null) {
      reference = Gaussians.meanOfMeans(centers, k, d);
    }
    return reference;
  }

  private double[] work(int size) {
    return work = atLeast(work, size);
  }

  private double[] rowWork(int size) {
    return rowWork = atLeast(rowWork, size);
  }

  private double[] uWork(int size) {
    return uWork = atLeast(uWork, size);
  }

  private double[] momentWork(int size) {
    return momentWork = atLeast(momentWork, size);
  }

  private static double[] atLeast(double[] buffer, int size) {
    return buffer == null || buffer.length < size ? new double[size] : buffer;
  }

  /**
   * Adds {@code other} into this.
   *
   * @return this
   * @throws IllegalArgumentException if the two were not made for the same type, shape and centres
   */
  public GaussianStatistics merge(GaussianStatistics other) {
    flush();
    other.flush();
    if (other.type != type || other.k != k || other.d != d || !Arrays.equals(other.centers, centers)) {
      throw new IllegalArgumentException("Cannot merge statistics of different models");
    }
    if (featureMass != null || other.featureMass != null) {
      double[] mine = featureMassOrFilled();
      addInto(mine, other.featureMassOrFilled());
      featureMass = mine;
    }
    addInto(weightSums, other.weightSums);
    addInto(firstMoments, other.firstMoments);
    addInto(secondMoments, other.secondMoments);
    return this;
  }

  /**
   * A copy with the masses and moments multiplied by {@code factor}, about the same centres (the
   * blend of stepwise EM).
   */
  public GaussianStatistics scaled(double factor) {
    flush();
    GaussianStatistics out = new GaussianStatistics(type, centers, k, d, at);
    for (int i = 0; i < weightSums.length; i++) {
      out.weightSums[i] = factor * weightSums[i];
    }
    if (featureMass != null) {
      out.featureMass = new double[featureMass.length];
      for (int i = 0; i < featureMass.length; i++) {
        out.featureMass[i] = factor * featureMass[i];
      }
    }
    for (int i = 0; i < firstMoments.length; i++) {
      out.firstMoments[i] = factor * firstMoments[i];
    }
    for (int i = 0; i < secondMoments.length; i++) {
      out.secondMoments[i] = factor * secondMoments[i];
    }
    return out;
  }

  /**
   * These statistics about the means of {@code g} instead of their own centres (stepwise EM blends
   * older statistics this way before merging them with new ones gathered at {@code g}): with
   * {@code e = new - old}, {@code S1 - N e} and {@code S2 - e S1^T - S1 e^T + N e e^T} (diagonal
   * and spherical per feature, with the per-feature masses); a copy, gathered at {@code g}.
   *
   * @throws IllegalArgumentException if {@code g} has another type, k or d
   */
  public GaussianStatistics recentred(Gaussians g) {
    flush();
    if (g.covarianceType() != type || g.components() != k || g.dimension() != d) {
      throw new IllegalArgumentException("Cannot recentre statistics on another model's shape");
    }
    GaussianStatistics out = at(g);
    System.arraycopy(weightSums, 0, out.weightSums, 0, k);
    System.arraycopy(firstMoments, 0, out.firstMoments, 0, firstMoments.length);
    System.arraycopy(secondMoments, 0, out.secondMoments, 0, secondMoments.length);
    out.featureMass = featureMass == null ? null : featureMass.clone();
    boolean diagonal = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
    for (int c = 0; c < k; c++) {
      double[] e = new double[d];
      for (int j = 0; j < d; j++) {
        e[j] = out.centers[c * d + j] - centers[c * d + j];
      }
      double nk = weightSums[c];
      if (diagonal) {
        for (int j = 0; j < d; j++) {
          double nj = featureMass == null ? nk : featureMass[c * d + j];
          double s1 = firstMoments[c * d + j];
          out.secondMoments[c * d + j] += -2.0 * e[j] * s1 + nj * e[j] * e[j];
          out.firstMoments[c * d + j] = s1 - nj * e[j];
        }
        continue;
      }
      int off = type == CovarianceType.FULL ? c * d * d : 0;
      for (int b = 0; b < d; b++) {
        for (int a = b; a < d; a++) {
          out.secondMoments[off + b * d + a] += -e[a] * firstMoments[c * d + b] - firstMoments[c * d + a] * e[b]
              + nk * e[a] * e[b];
        }
      }
      for (int j = 0; j < d; j++) {
        out.firstMoments[c * d + j] = firstMoments[c * d + j] - nk * e[j];
      }
    }
    return out;
  }

  /**
   * The statistics of data matching {@code g} exactly, {@code mass[c]} rows for component c, about
   * its means: {@code N_c = mass[c]}, {@code S1 = 0}, {@code S2 = N_c (Sigma_c - R)} (tied:
   * the sum; diagonal and spherical: the diagonal), so that the M-step adding {@code R} (diagonal,
   * {@code reg[j]} what the regularisation adds to feature j's variance) returns g.
   */
  public static GaussianStatistics expected(Gaussians g, double[] mass, double[] reg) {
    GaussianStatistics s = at(g);
    int k = s.k;
    int d = s.d;
    for (int c = 0; c < k; c++) {
      s.weightSums[c] = mass[c];
      double[][] sigma = g.covarianceMatrix(c);
      switch (s.type) {
        case FULL, TIED -> {
          int off = s.type == CovarianceType.FULL ? c * d * d : 0;
          for (int b = 0; b < d; b++) {
            for (int a = b; a < d; a++) {
              s.secondMoments[off + b * d + a] += mass[c] * (sigma[a][b] - (a == b ? reg[a] : 0.0));
            }
          }
        }
        case DIAG, SPHERICAL -> {
          for (int j = 0; j < d; j++) {
            s.secondMoments[c * d + j] = mass[c] * (sigma[j][j] - reg[j]);
          }
        }
        default -> throw new IllegalStateException("Unhandled covariance type " + s.type);
      }
    }
    return s;
  }

  private double[] featureMassOrFilled() {
    if (featureMass != null) {
      return featureMass.clone();
    }
    double[] f = new double[k * d];
    for (int c = 0; c < k; c++) {
      Arrays.fill(f, c * d, (c + 1) * d, weightSums[c]);
    }
    return f;
  }

  /**
   * Diagonal and spherical: {@code N_cj}, the mass of the rows where feature j is observed (a
   * copy), or {@code null} when every row added was complete (then it is {@link #weightSum} for
   * every feature). Full and tied: always null (rows with missing values count fully).
   */
  public double[] featureMass(int c) {
    flush();
    return featureMass == null ? null : Arrays.copyOfRange(featureMass, c * d, (c + 1) * d);
  }

  private static void addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }

  /** The covariance structure the second moments were collected for. */
  public CovarianceType covarianceType() {
    return type;
  }

  /** Number of components k. */
  public int components() {
    return k;
  }

  /** Number of features d. */
  public int dimension() {
    return d;
  }

  /** Centre of component c, a copy. */
  public double[] center(int c) {
    return Arrays.copyOfRange(centers, c * d, (c + 1) * d);
  }

  /** {@code N_c}: the weighted responsibility mass of component c. */
  public double weightSum(int c) {
    flush();
    return weightSums[c];
  }

  /** {@code S1_c = sum u_i (x_i - c_c)}, a copy. */
  public double[] firstMoment(int c) {
    flush();
    return Arrays.copyOfRange(firstMoments, c * d, (c + 1) * d);
  }

  /**
   * Centred second moment of component {@code c} as a full symmetric column-major {@code d x d}
   * matrix (full and tied; for tied, {@code c} is ignored and the sum over components is returned),
   * or its diagonal of length d (diag and spherical).
   */
  public double[] secondMoment(int c) {
    flush();
    return switch (type) {
      case FULL -> symmetric(c * d * d);
      case TIED -> symmetric(0);
      case DIAG, SPHERICAL -> Arrays.copyOfRange(secondMoments, c * d, (c + 1) * d);
    };
  }

  private double[] symmetric(int offset) {
    double[] m = Arrays.copyOfRange(secondMoments, offset, offset + d * d);
    for (int col = 0; col < d; col++) {
      for (int row = 0; row < col; row++) {
        m[col * d + row] = m[row * d + col];
      }
    }
    return m;
  }
}
