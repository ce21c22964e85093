package org.sparkgmm.distribution;

import java.util.Arrays;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.linalg.Cholesky;
import org.sparkgmm.linalg.FeatureKernels;

/**
 * k multivariate Gaussian components sharing one covariance structure, with their Cholesky factors
 * precomputed so that block log-densities are level-3 BLAS.
 *
 * <p>Storage (all column-major, component-major): means {@code [k*d]} with component {@code c} at
 * {@code c*d}; covariances {@code full: [k*d*d]}, {@code tied: [d*d]}, {@code diag: [k*d]},
 * {@code spherical: [k]}. Instances are immutable: arrays are copied in and out.
 */
public final class Gaussians implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private final CovarianceType type;
  private final int k;
  private final int d;
  private final double[] means;
  private final double[] covariances;
  /** full: lower Cholesky factor per component; tied: one factor; diag/spherical: unused. */
  private final double[] factors;
  /** Per component: -0.5 * (d log 2 pi + log det Sigma_c). */
  private final double[] logNormaliser;
  /** The one-GEMM kernels' expansion centre r, the mean of the means. */
  private final double[] reference;
  /** diag/spherical: the GEMM weights W (2d x k) and per-component constants. */
  private final double[] diagonalWeights;
  private final double[] diagonalConstants;
  /** full/tied: the GEMM weights over {@link FeatureKernels#quadraticFeatures quadratic features}, p x k, built on first use where they run. */
  private transient volatile double[] quadraticWeights;
  /** Per observed-feature pattern: the marginal and every component's conditional, built where they run. */
  private transient volatile java.util.concurrent.ConcurrentHashMap<String, Gaussians> marginals;
  private transient volatile java.util.concurrent.ConcurrentHashMap<String, double[][][]> conditionals;
  /** Patterns kept per model (rows with missing values); beyond that they are computed each time. */
  private static final int PATTERN_CACHE = 4096;

  private Gaussians(CovarianceType type, int k, int d, double[] means, double[] covariances) {
    this.type = type;
    this.k = k;
    this.d = d;
    this.means = means;
    this.covariances = covariances;
    this.reference = meanOfMeans(means, k, d);
    this.logNormaliser = new double[k];
    this.factors = switch (type) {
      case FULL -> factorAll();
      case TIED -> factorTied();
      case DIAG, SPHERICAL -> null;
    };
    if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
      for (int c = 0; c < k; c++) {
        double logDet = 0.0;
        for (int j = 0; j < d; j++) {
          double v = variance(c, j);
          if (!(v > 0.0) || Double.isInfinite(v)) {
            throw new NotPositiveDefiniteException(c, "variance of feature " + j + " is " + v);
          }
          logDet += Math.log(v);
        }
        logNormaliser[c] = -0.5 * (d * LOG_2PI + logDet);
      }
      diagonalWeights = new double[2 * d * k];
      diagonalConstants = new double[k];
      for (int c = 0; c < k; c++) {
        double constant = logNormaliser[c];
        for (int j = 0; j < d; j++) {
          double precision = 1.0 / variance(c, j);
          double e = means[c * d + j] - reference[j];
          diagonalWeights[c * 2 * d + j] = -0.5 * precision;
          diagonalWeights[c * 2 * d + d + j] = e * precision;
          constant -= 0.5 * e * e * precision;
        }
        diagonalConstants[c] = constant;
      }
    } else {
      diagonalWeights = null;
      diagonalConstants = null;
    }
  }

  /**
   * Full or tied covariances in at most this many features are evaluated through quadratic
   * features (one GEMM for all components) instead of one triangular solve per component: for
   * small d the per-component BLAS calls cost more than their arithmetic.
   */
  public static final int QUADRATIC_MAX_FEATURES = 8;

  /**
   * Without native BLAS, full or tied covariances in up to this many features also take quadratic
   * features: netlib's Java BLAS vectorises GEMM (about 17-20 GFLOP/s a core here) but runs DTRSM
   * and DSYRK as scalar loops, and the quadratic GEMMs do the same arithmetic as the triangular
   * routines, about k d^2 per row each. Beyond it the d(d+1)/2 feature columns outgrow the cache.
   * The expansion about the mean of the means trades a little precision for this, as
   * scikit-learn's does about the origin: the error in a log-density grows with
   * {@code eps (x - r)^T Lambda (x - r)}.
   */
  public static final int QUADRATIC_MAX_FEATURES_GEMM_ONLY = 64;

  /**
   * True when full/tied covariances in d features use {@link FeatureKernels#quadraticFeatures quadratic features}.
   *
   * @param gemmOnly whether the BLAS in use vectorises only GEMM ({@code !Blas.isNative()})
   */
  public static boolean usesQuadraticFeatures(CovarianceType type, int d, boolean gemmOnly) {
    return (type == CovarianceType.FULL || type == CovarianceType.TIED)
        && d <= (gemmOnly ? QUADRATIC_MAX_FEATURES_GEMM_ONLY : QUADRATIC_MAX_FEATURES);
  }

  /**
   * W with {@code [z_a z_b (a >= b) | z | 1] W = log N_c}: for {@code z = x - r},
   * {@code e_c = mu_c - r} and the precision {@code Lambda_c = Sigma_c^{-1}},
   * {@code log N_c = C_c - 0.5 (z - e)^T Lambda (z - e)} expands into
   * {@code -0.5 sum_ab Lambda_ab z_a z_b + (Lambda e)^T z + C_c - 0.5 e^T Lambda e}.
   */
  private double[] quadraticWeights() {
    double[] built = quadraticWeights;
    if (built != null) {
      return built;
    }
    int p = FeatureKernels.quadraticWidth(d);
    double[] w = new double[p * k];
    double[] lambda = new double[d * d];
    for (int c = 0; c < k; c++) {
      precision(type == CovarianceType.FULL ? c * d * d : 0, lambda);
      double[] e = new double[d];
      for (int a = 0; a < d; a++) {
        e[a] = means[c * d + a] - reference[a];
      }
      int col = c * p;
      int q = 0;
      double quad = 0.0;
      for (int b = 0; b < d; b++) {
        for (int a = b; a < d; a++) {
          w[col + q++] = (a == b ? -0.5 : -1.0) * lambda[b * d + a];
        }
      }
      for (int a = 0; a < d; a++) {
        double le = 0.0;
        for (int b = 0; b < d; b++) {
          le += lambda[b * d + a] * e[b];
        }
        w[col + q++] = le;
        quad += e[a] * le;
      }
      w[col + q] = logNormaliser[c] - 0.5 * quad;
    }
    quadraticWeights = w;
    return w;
  }

  /** lambda := (L L^T)^{-1} for the Cholesky factor stored at {@code offset}, column-major d x d. */
  private void precision(int offset, double[] lambda) {
    // inv = L^{-1} by forward substitution on the unit vectors, then Lambda = inv^T inv.
    double[] inv = new double[d * d];
    for (int col = 0; col < d; col++) {
      for (int row = col; row < d; row++) {
        double v = row == col ? 1.0 : 0.0;
        for (int t = col; t < row; t++) {
          v -= factors[offset + t * d + row] * inv[col * d + t];
        }
        inv[col * d + row] = v / factors[offset + row * d + row];
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double v = 0.0;
        for (int t = Math.max(a, b); t < d; t++) {
          v += inv[a * d + t] * inv[b * d + t];
        }
        lambda[b * d + a] = v;
      }
    }
  }

  /**
   * Builds k Gaussians.
   *
   * @param means {@code [k][d]} component means, finite
   * @param covariances flat covariance values in the storage layout of the class comment
   * @throws IllegalArgumentException on a shape mismatch or a non-finite mean
   * @throws NotPositiveDefiniteException if a covariance is not symmetric positive definite
   */
  public static Gaussians of(CovarianceType type, double[][] means, double[] covariances) {
    int k = means.length;
    if (k < 1) {
      throw new IllegalArgumentException("A mixture needs at least one component");
    }
    int d = means[0].length;
    double[] m = new double[k * d];
    for (int c = 0; c < k; c++) {
      if (means[c].length != d) {
        throw new IllegalArgumentException("Mean " + c + " has " + means[c].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(means[c][j])) {
          throw new IllegalArgumentException("Mean " + c + " has a non-finite value " + means[c][j]);
        }
      }
      System.arraycopy(means[c], 0, m, c * d, d);
    }
    int expected = covarianceLength(type, k, d);
    if (covariances.length != expected) {
      throw new IllegalArgumentException("A " + type + " covariance for k=" + k + ", d=" + d + " has "
          + expected + " values, got " + covariances.length);
    }
    return new Gaussians(type, k, d, m, covariances.clone());
  }

  /** Number of stored covariance values for this type, k and d. */
  public static int covarianceLength(CovarianceType type, int k, int d) {
    return switch (type) {
      case FULL -> Math.multiplyExact(k, Math.multiplyExact(d, d));
      case TIED -> d * d;
      case DIAG -> k * d;
      case SPHERICAL -> k;
    };
  }

  private double[] factorAll() {
    double[] f = new double[k * d * d];
    double[] one = new double[d * d];
    for (int c = 0; c < k; c++) {
      System.arraycopy(covariances, c * d * d, one, 0, d * d);
      double[] l = Cholesky.lowerFactor(one, d);
      if (l == null) {
        throw new NotPositiveDefiniteException(c, "Cholesky factorisation failed");
      }
      System.arraycopy(l, 0, f, c * d * d, d * d);
      logNormaliser[c] = -0.5 * d * LOG_2PI - Cholesky.halfLogDet(l, d);
    }
    return f;
  }

  private double[] factorTied() {
    double[] l = Cholesky.lowerFactor(covariances, d);
    if (l == null) {
      throw new NotPositiveDefiniteException(-1, "Cholesky factorisation of the tied covariance failed");
    }
    Arrays.fill(logNormaliser, -0.5 * d * LOG_2PI - Cholesky.halfLogDet(l, d));
    return l;
  }

  private double variance(int c, int j) {
    return type == CovarianceType.DIAG ? covariances[c * d + j] : covariances[c];
  }

  /** Number of components k. */
  public int components() {
    return k;
  }

  /** Number of features d. */
  public int dimension() {
    return d;
  }

  /** The covariance structure. */
  public CovarianceType covarianceType() {
    return type;
  }

  /** Mean of component {@code c}, a copy. */
  public double[] mean(int c) {
    return Arrays.copyOfRange(means, c * d, (c + 1) * d);
  }

  /** All means, {@code [k][d]}, a copy. */
  public double[][] means() {
    double[][] m = new double[k][];
    for (int c = 0; c < k; c++) {
      m[c] = mean(c);
    }
    return m;
  }

  /** The covariance values in the storage layout of the class comment, a copy. */
  public double[] covarianceValues() {
    return covariances.clone();
  }

  /**
   * The marginal distribution of the given features: the same type over {@code observed.length}
   * features, with the means and covariances restricted to them (what a row with the other
   * features missing is evaluated on).
   *
   * @param observed feature indices, ascending, at least one
   */
  public Gaussians marginal(int[] observed) {
    if (observed.length == d) {
      return this;
    }
    java.util.concurrent.ConcurrentHashMap<String, Gaussians> cache = marginals;
    if (cache == null) {
      synchronized (this) {
        if (marginals == null) {
          marginals = new java.util.concurrent.ConcurrentHashMap<>();
        }
        cache = marginals;
      }
    }
    String key = Arrays.toString(observed);
    Gaussians m = cache.get(key);
    if (m == null) {
      m = computeMarginal(observed);
      if (cache.size() < PATTERN_CACHE) {
        cache.putIfAbsent(key, m);
      }
    }
    return m;
  }

  private Gaussians computeMarginal(int[] observed) {
    int o = observed.length;
    double[][] m = new double[k][o];
    for (int c = 0; c < k; c++) {
      for (int a = 0; a < o; a++) {
        m[c][a] = means[c * d + observed[a]];
      }
    }
    double[] cov = new double[covarianceLength(type, k, o)];
    switch (type) {
      case FULL, TIED -> {
        int blocks = type == CovarianceType.FULL ? k : 1;
        for (int c = 0; c < blocks; c++) {
          for (int b = 0; b < o; b++) {
            for (int a = 0; a < o; a++) {
              cov[c * o * o + b * o + a] = covariances[c * d * d + observed[b] * d + observed[a]];
            }
          }
        }
      }
      case DIAG -> {
        for (int c = 0; c < k; c++) {
          for (int a = 0; a < o; a++) {
            cov[c * o + a] = covariances[c * d + observed[a]];
          }
        }
      }
      case SPHERICAL -> System.arraycopy(covariances, 0, cov, 0, k);
      default -> throw new IllegalStateException("Unhandled covariance type " + type);
    }
    return new Gaussians(type, k, o, flatten(m, k, o), cov);
  }

  /**
   * Component {@code c}'s distribution of the missing features given the observed ones:
   * {@code x_M | x_O ~ N(mu_M + B (x_O - mu_O), C)} with the regression {@code B = Sigma_MO
   * Sigma_OO^-1} and {@code C = Sigma_MM - B Sigma_OM} (the Schur complement), by one Cholesky
   * factorisation of {@code Sigma_OO}.
   *
   * @param observed observed feature indices, ascending, at least one; the others are missing
   * @return {@code [B (m x o), C (m x m)]}, column-major, {@code m = d - o}; computed once per pattern for
   *     every component and kept with the model, so callers must not modify them
   */
  public double[][] conditional(int c, int[] observed) {
    java.util.concurrent.ConcurrentHashMap<String, double[][][]> cache = conditionals;
    if (cache == null) {
      synchronized (this) {
        if (conditionals == null) {
          conditionals = new java.util.concurrent.ConcurrentHashMap<>();
        }
        cache = conditionals;
      }
    }
    String key = Arrays.toString(observed);
    double[][][] all = cache.get(key);
    if (all == null) {
      all = new double[k][][];
      for (int q = 0; q < k; q++) {
        all[q] = computeConditional(q, observed);
      }
      if (cache.size() < PATTERN_CACHE) {
        cache.putIfAbsent(key, all);
      }
    }
    return all[c];
  }

  private double[][] computeConditional(int c, int[] observed) {
    int o = observed.length;
    int[] missing = complement(observed, d);
    int m = missing.length;
    double[][] s = covarianceMatrix(c);
    double[] oo = new double[o * o];
    double[] om = new double[o * m];
    for (int b = 0; b < o; b++) {
      for (int a = 0; a < o; a++) {
        oo[b * o + a] = s[observed[a]][observed[b]];
      }
    }
    for (int b = 0; b < m; b++) {
      for (int a = 0; a < o; a++) {
        om[b * o + a] = s[observed[a]][missing[b]];
      }
    }
    double[] l = Cholesky.lowerFactor(oo, o);
    if (l == null) {
      throw new NotPositiveDefiniteException(c, "the covariance of the observed features is not positive definite");
    }
    Cholesky.solve(l, o, om, m); // om := Sigma_OO^-1 Sigma_OM = B^T
    double[] regression = new double[m * o];
    double[] schur = new double[m * m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < o; b++) {
        regression[b * m + a] = om[a * o + b];
      }
    }
    for (int b = 0; b < m; b++) {
      for (int a = 0; a < m; a++) {
        double v = s[missing[a]][missing[b]];
        for (int q = 0; q < o; q++) {
          v -= regression[q * m + a] * s[observed[q]][missing[b]];
        }
        schur[b * m + a] = v;
      }
    }
    return new double[][] {regression, schur};
  }

  /** The indices {@code 0..d-1} not in {@code subset} (ascending), ascending. */
  public static int[] complement(int[] subset, int d) {
    int[] out = new int[d - subset.length];
    int q = 0;
    int s = 0;
    for (int j = 0; j < d; j++) {
      if (s < subset.length && subset[s] == j) {
        s++;
      } else {
        out[q++] = j;
      }
    }
    return out;
  }

  private static double[] flatten(double[][] m, int k, int d) {
    double[] f = new double[k * d];
    for (int c = 0; c < k; c++) {
      System.arraycopy(m[c], 0, f, c * d, d);
    }
    return f;
  }

  /** The full {@code d x d} covariance matrix of component {@code c}, whatever the type. */
  public double[][] covarianceMatrix(int c) {
    double[][] s = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        s[a][b] = switch (type) {
          case FULL -> covariances[c * d * d + b * d + a];
          case TIED -> covariances[b * d + a];
          case DIAG, SPHERICAL -> a == b ? variance(c, a) : 0.0;
        };
      }
    }
    return s;
  }

  /**
   * Turns standard normal values into a draw from component {@code c}: {@code out = mu_c + A z}
   * with {@code A A^T = Sigma_c} ({@code A} the lower Cholesky factor for full and tied
   * covariances, the standard deviations for diagonal and spherical ones).
   *
   * @param z d independent standard normal values, not modified
   * @param out d values, overwritten (may not be {@code z})
   */
  public void fromStandardNormal(int c, double[] z, double[] out) {
    for (int a = 0; a < d; a++) {
      double v = means[c * d + a];
      switch (type) {
        case FULL, TIED -> {
          int f = type == CovarianceType.FULL ? c * d * d : 0;
          for (int b = 0; b <= a; b++) {
            v += factors[f + b * d + a] * z[b];
          }
        }
        case DIAG, SPHERICAL -> v += Math.sqrt(variance(c, a)) * z[a];
        default -> throw new IllegalStateException("Unhandled covariance type " + type);
      }
      out[a] = v;
    }
  }

  /** Rows evaluated at once: small enough that a chunk's work arrays stay in the core's cache. */
  public static final int CHUNK_ROWS = 512;

  /** Scratch doubles {@link #logDensities(RowBlock, double[], double[])} needs for {@code rows} rows. */
  public int scratchSize(int rows) {
    return scratchSize(rows, !Blas.isNative());
  }

  /** Scratch doubles {@link #logDensities(RowBlock, double[], double[], boolean)} needs. */
  public int scratchSize(int rows, boolean gemmOnly) {
    int m = Math.min(rows, CHUNK_ROWS);
    if (usesQuadraticFeatures(type, d, gemmOnly)) {
      return m * FeatureKernels.quadraticWidth(d);
    }
    return type == CovarianceType.FULL || type == CovarianceType.TIED ? m * d : m * 2 * d;
  }

  /**
   * Block log-densities, {@link #CHUNK_ROWS} rows at a time.
   *
   * <p>Full and tied, with {@code Sigma_c = L_c L_c^T}: {@code Y = (X - 1 mu_c^T) L_c^{-T}} by one
   * triangular solve (dtrsm) per component and chunk, then
   * {@code log N(x_i) = -0.5 (d log 2 pi + log det Sigma_c + ||Y_i||^2)}. Centring at the
   * component's own mean first keeps precision when the data sit far from the origin.
   *
   * <p>Diagonal and spherical: with {@code z = x - r} for a reference point {@code r} (the mean of
   * the means) and {@code e_c = mu_c - r}, {@code sum_j (z_j - e_cj)^2 / v_cj} expands into
   * {@code [Z∘Z | Z] W + const}, so all components take one GEMM per chunk with
   * {@code W[j,c] = -0.5 / v_cj}, {@code W[d+j,c] = e_cj / v_cj} (scikit-learn's expansion, after
   * centring at {@code r}).
   */
  /** Writes {@code log p_c(x_i)} into {@code out[c * n + i]} (column-major {@code n x k}); scratch of {@link #scratchSize(int)}. */
  public void logDensities(RowBlock block, double[] out, double[] scratch) {
    logDensities(block, out, scratch, !Blas.isNative());
  }

  /**
   * {@link #logDensities(RowBlock, double[], double[])} with the choice between triangular solves
   * and quadratic features made by the caller ({@code gemmOnly}, see
   * {@link #usesQuadraticFeatures}) rather than by the BLAS in use. Both must agree; tests run both.
   */
  public void logDensities(RowBlock block, double[] out, double[] scratch, boolean gemmOnly) {
    if (block.features() != d) {
      throw new IllegalArgumentException("Block has " + block.features() + " features, the model " + d);
    }
    int n = block.rows();
    double[] x = block.columnMajorValues();
    boolean quadratic = usesQuadraticFeatures(type, d, gemmOnly);
    for (int i0 = 0; i0 < n; i0 += CHUNK_ROWS) {
      int m = Math.min(CHUNK_ROWS, n - i0);
      if (quadratic) {
        FeatureKernels kernels = FeatureKernels.get();
        kernels.quadraticFeatures(x, n, i0, m, reference, scratch);
        kernels.times(m, k, FeatureKernels.quadraticWidth(d), scratch, quadraticWeights(), out, i0, n);
      } else if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
        squaredMahalanobis(x, n, i0, m, out, scratch);
      } else {
        diagonalLogDensities(x, n, i0, m, out, scratch);
      }
    }
  }

  /** out[c*n + i0 + i] := log N_c for the chunk's rows, full or tied covariance. */
  private void squaredMahalanobis(double[] x, int n, int i0, int m, double[] out, double[] y) {
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        double mu = means[c * d + j];
        int from = j * n + i0;
        int to = j * m;
        for (int i = 0; i < m; i++) {
          y[to + i] = x[from + i] - mu;
        }
      }
      int fOff = type == CovarianceType.FULL ? c * d * d : 0;
      Blas.blas().dtrsm("R", "L", "T", "N", m, d, 1.0, factors, fOff, d, y, 0, m);
      int o = c * n + i0;
      Arrays.fill(out, o, o + m, 0.0);
      for (int j = 0; j < d; j++) {
        int col = j * m;
        for (int i = 0; i < m; i++) {
          double v = y[col + i];
          out[o + i] += v * v;
        }
      }
      double norm = logNormaliser[c];
      for (int i = 0; i < m; i++) {
        out[o + i] = norm - 0.5 * out[o + i];
      }
    }
  }

  /** out[c*n + i0 + i] := log N_c for the chunk's rows, diagonal or spherical covariance (one GEMM). */
  private void diagonalLogDensities(double[] x, int n, int i0, int m, double[] out, double[] a) {
    FeatureKernels kernels = FeatureKernels.get();
    kernels.centredPowers(x, n, i0, m, reference, a, false);
    kernels.times(m, k, 2 * d, a, diagonalWeights, out, i0, n);
    for (int c = 0; c < k; c++) {
      double constant = diagonalConstants[c];
      int o = c * n + i0;
      for (int i = 0; i < m; i++) {
        out[o + i] += constant;
      }
    }
  }

  /** The mean of the component means: the centre of the diagonal kernels' expansion. */
  public static double[] meanOfMeans(double[] flatMeans, int k, int d) {
    double[] r = new double[d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        r[j] += flatMeans[c * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      r[j] /= k;
    }
    return r;
  }
}
