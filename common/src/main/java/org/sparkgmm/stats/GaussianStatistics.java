package org.sparkgmm.stats;

import java.io.Serializable;
import java.util.Arrays;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.linalg.Blas;

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
   * Adds a block with its responsibilities.
   *
   * @param resp column-major {@code n x k} responsibilities {@code r_ik} (not weighted)
   * @param scratch at least {@code n * d} doubles, overwritten
   * @return this
   */
  public GaussianStatistics add(RowBlock block, double[] resp, double[] scratch) {
    int n = block.rows();
    if (block.features() != d) {
      throw new IllegalArgumentException("Block has " + block.features() + " features, statistics " + d);
    }
    double[] x = block.columnMajorValues();
    for (int c = 0; c < k; c++) {
      int ro = c * n;
      double nk = 0.0;
      for (int i = 0; i < n; i++) {
        nk += block.weight(i) * resp[ro + i];
      }
      if (nk == 0.0) {
        continue;
      }
      weightSums[c] += nk;
      for (int j = 0; j < d; j++) {
        double center = centers[c * d + j];
        int col = j * n;
        double s1 = 0.0;
        double s2 = 0.0;
        for (int i = 0; i < n; i++) {
          double u = block.weight(i) * resp[ro + i];
          double z = x[col + i] - center;
          s1 += u * z;
          s2 += u * z * z;
          scratch[col + i] = Math.sqrt(u) * z;
        }
        firstMoments[c * d + j] += s1;
        if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
          secondMoments[c * d + j] += s2;
        }
      }
      if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
        // S2 += Z^T Z with Z = diag(sqrt(u)) (X - 1 c^T): one SYRK on the lower triangle.
        int off = type == CovarianceType.FULL ? c * d * d : 0;
        Blas.blas().dsyrk("L", "T", d, n, 1.0, scratch, 0, n, 1.0, secondMoments, off, d);
      }
    }
    return this;
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
