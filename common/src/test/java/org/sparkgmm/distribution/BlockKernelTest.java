package org.sparkgmm.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * The block kernels (chunked triangular solves, the one-GEMM diagonal and quadratic-feature paths,
 * and the quadratic features that replace the triangular solves without native BLAS) against the
 * textbook formulas evaluated row by row: blocks of 1,300 rows span three chunks with a ragged last
 * one, the data sit 100 away from the origin, and rows carry weights.
 */
class BlockKernelTest {
  /** Relative agreement of two summation orders over 1,300 rows. */
  private static final double KERNEL = 1e-9;
  private static final int ROWS = 1300;

  static Stream<Arguments> shapes() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (CovarianceType type : CovarianceType.values()) {
      for (int d : new int[] {1, 3, Gaussians.QUADRATIC_MAX_FEATURES, 11, Gaussians.QUADRATIC_MAX_FEATURES_GEMM_ONLY, 65}) {
        b.add(Arguments.of(type, d, false));
        if (Gaussians.usesQuadraticFeatures(type, d, true) != Gaussians.usesQuadraticFeatures(type, d, false)) {
          // The formulation taken without native BLAS.
          b.add(Arguments.of(type, d, true));
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} d={1} gemmOnly={2}")
  @MethodSource("shapes")
  void logDensitiesEqualTheFormulaRowByRow(CovarianceType type, int d, boolean gemmOnly) {
    int k = 3;
    Random random = new Random(11 + d);
    Gaussians g = mixture(type, k, d, random);
    RowBlock block = block(d, random, false);
    double[] out = new double[ROWS * k];
    g.logDensities(block, out, new double[g.scratchSize(ROWS, gemmOnly)], gemmOnly);
    for (int c = 0; c < k; c++) {
      double[][] sigma = g.covarianceMatrix(c);
      double[][] inv = inverse(sigma);
      double logDet = Math.log(determinant(sigma));
      double[] mu = g.mean(c);
      for (int i = 0; i < ROWS; i++) {
        double q = 0.0;
        for (int a = 0; a < d; a++) {
          for (int b2 = 0; b2 < d; b2++) {
            q += (block.value(i, a) - mu[a]) * inv[a][b2] * (block.value(i, b2) - mu[b2]);
          }
        }
        double expected = -0.5 * (d * Math.log(2 * Math.PI) + logDet + q);
        assertThat(out[c * ROWS + i]).as("component %d row %d", c, i)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(KERNEL * Math.max(1.0, Math.abs(expected))));
      }
    }
  }

  @ParameterizedTest(name = "{0} d={1} gemmOnly={2}")
  @MethodSource("shapes")
  void statisticsEqualTheWeightedSumsAboutEachCentre(CovarianceType type, int d, boolean gemmOnly) {
    int k = 3;
    Random random = new Random(29 + d);
    double[][] centers = new double[k][d];
    for (double[] c : centers) {
      for (int j = 0; j < d; j++) {
        c[j] = 100.0 + 3.0 * random.nextGaussian();
      }
    }
    RowBlock block = block(d, random, true);
    double[] resp = new double[ROWS * k];
    for (int i = 0; i < ROWS; i++) {
      double s = 0.0;
      for (int c = 0; c < k; c++) {
        resp[c * ROWS + i] = random.nextDouble();
        s += resp[c * ROWS + i];
      }
      for (int c = 0; c < k; c++) {
        resp[c * ROWS + i] /= s;
      }
    }
    GaussianStatistics st = GaussianStatistics.empty(type, centers).add(block, resp, gemmOnly);
    double[][] tied = new double[d][d];
    for (int c = 0; c < k; c++) {
      double n = 0.0;
      double[] s1 = new double[d];
      double[][] s2 = new double[d][d];
      for (int i = 0; i < ROWS; i++) {
        double u = block.weight(i) * resp[c * ROWS + i];
        n += u;
        for (int a = 0; a < d; a++) {
          double za = block.value(i, a) - centers[c][a];
          s1[a] += u * za;
          for (int b2 = 0; b2 < d; b2++) {
            s2[a][b2] += u * za * (block.value(i, b2) - centers[c][b2]);
          }
        }
      }
      assertThat(st.weightSum(c)).isCloseTo(n, org.assertj.core.data.Offset.offset(KERNEL * n));
      double[] got1 = st.firstMoment(c);
      double[] got2 = st.secondMoment(c);
      for (int a = 0; a < d; a++) {
        assertThat(got1[a]).as("S1[%d] of %d", a, c).isCloseTo(s1[a], org.assertj.core.data.Offset.offset(KERNEL * n));
        for (int b2 = 0; b2 < d; b2++) {
          tied[a][b2] += s2[a][b2];
          if (type == CovarianceType.FULL) {
            assertThat(got2[b2 * d + a]).as("S2[%d,%d] of %d", a, b2, c)
                .isCloseTo(s2[a][b2], org.assertj.core.data.Offset.offset(KERNEL * n));
          }
        }
        if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
          assertThat(got2[a]).isCloseTo(s2[a][a], org.assertj.core.data.Offset.offset(KERNEL * n));
        }
      }
    }
    if (type == CovarianceType.TIED) {
      double[] got = st.secondMoment(0);
      for (int a = 0; a < d; a++) {
        for (int b2 = 0; b2 < d; b2++) {
          assertThat(got[b2 * d + a]).isCloseTo(tied[a][b2], org.assertj.core.data.Offset.offset(KERNEL * ROWS));
        }
      }
    }
  }

  private static RowBlock block(int d, Random random, boolean weighted) {
    double[][] rows = new double[ROWS][d];
    double[] w = weighted ? new double[ROWS] : null;
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < d; j++) {
        rows[i][j] = 100.0 + 3.0 * random.nextGaussian();
      }
      if (w != null) {
        w[i] = 0.5 + random.nextDouble();
      }
    }
    return RowBlock.fromRows(rows, w);
  }

  private static Gaussians mixture(CovarianceType type, int k, int d, Random random) {
    double[][] means = new double[k][d];
    for (double[] m : means) {
      for (int j = 0; j < d; j++) {
        m[j] = 100.0 + 3.0 * random.nextGaussian();
      }
    }
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    int blocks = type == CovarianceType.TIED ? 1 : k;
    for (int c = 0; c < blocks; c++) {
      switch (type) {
        case FULL, TIED -> {
          double[][] a = new double[d][d];
          for (double[] row : a) {
            for (int j = 0; j < d; j++) {
              row[j] = random.nextGaussian();
            }
          }
          for (int r = 0; r < d; r++) {
            for (int s = 0; s < d; s++) {
              double v = r == s ? 1.0 : 0.0;
              for (int t = 0; t < d; t++) {
                v += a[r][t] * a[s][t] / d;
              }
              cov[c * d * d + s * d + r] = 4.0 * v;
            }
          }
        }
        case DIAG -> {
          for (int j = 0; j < d; j++) {
            cov[c * d + j] = 1.0 + 4.0 * random.nextDouble();
          }
        }
        case SPHERICAL -> cov[c] = 1.0 + 4.0 * random.nextDouble();
        default -> throw new IllegalStateException();
      }
    }
    return Gaussians.of(type, means, cov);
  }

  /** Gauss-Jordan with partial pivoting: the test's own inverse, independent of the kernels. */
  private static double[][] inverse(double[][] m) {
    int d = m.length;
    double[][] a = new double[d][2 * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(m[i], 0, a[i], 0, d);
      a[i][d + i] = 1.0;
    }
    for (int col = 0; col < d; col++) {
      int p = col;
      for (int r = col + 1; r < d; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[p][col])) {
          p = r;
        }
      }
      double[] t = a[p];
      a[p] = a[col];
      a[col] = t;
      double pivot = a[col][col];
      for (int j = 0; j < 2 * d; j++) {
        a[col][j] /= pivot;
      }
      for (int r = 0; r < d; r++) {
        if (r != col) {
          double f = a[r][col];
          for (int j = 0; j < 2 * d; j++) {
            a[r][j] -= f * a[col][j];
          }
        }
      }
    }
    double[][] inv = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(a[i], d, inv[i], 0, d);
    }
    return inv;
  }

  private static double determinant(double[][] m) {
    int d = m.length;
    double[][] a = new double[d][];
    for (int i = 0; i < d; i++) {
      a[i] = m[i].clone();
    }
    double det = 1.0;
    for (int col = 0; col < d; col++) {
      int p = col;
      for (int r = col + 1; r < d; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[p][col])) {
          p = r;
        }
      }
      if (p != col) {
        double[] t = a[p];
        a[p] = a[col];
        a[col] = t;
        det = -det;
      }
      det *= a[col][col];
      for (int r = col + 1; r < d; r++) {
        double f = a[r][col] / a[col][col];
        for (int j = col; j < d; j++) {
          a[r][j] -= f * a[col][j];
        }
      }
    }
    return det;
  }
}
