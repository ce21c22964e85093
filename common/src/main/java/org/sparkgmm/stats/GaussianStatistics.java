package org.sparkgmm.stats;

import java.io.Serializable;
import java.util.Arrays;
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
  /** Work space of the running task, reused from block to block; never serialized. */
  private transient double[] reference;
  private transient double[] work;
  private transient double[] rowWork;
  private transient double[] uWork;
  private transient double[] momentWork;

  private GaussianStatistics(CovarianceType type, double[] centers, int k, int d) {
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
    return this;
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
    if (other.type != type || other.k != k || other.d != d || !Arrays.equals(other.centers, centers)) {
      throw new IllegalArgumentException("Cannot merge statistics of different models");
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
    GaussianStatistics out = new GaussianStatistics(type, centers, k, d);
    for (int i = 0; i < weightSums.length; i++) {
      out.weightSums[i] = factor * weightSums[i];
    }
    for (int i = 0; i < firstMoments.length; i++) {
      out.firstMoments[i] = factor * firstMoments[i];
    }
    for (int i = 0; i < secondMoments.length; i++) {
      out.secondMoments[i] = factor * secondMoments[i];
    }
    return out;
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
    return weightSums[c];
  }

  /** {@code S1_c = sum u_i (x_i - c_c)}, a copy. */
  public double[] firstMoment(int c) {
    return Arrays.copyOfRange(firstMoments, c * d, (c + 1) * d);
  }

  /**
   * Centred second moment of component {@code c} as a full symmetric column-major {@code d x d}
   * matrix (full and tied; for tied, {@code c} is ignored and the sum over components is returned),
   * or its diagonal of length d (diag and spherical).
   */
  public double[] secondMoment(int c) {
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
