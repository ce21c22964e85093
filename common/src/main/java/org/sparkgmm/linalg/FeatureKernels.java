package org.sparkgmm.linalg;

import java.util.Arrays;
import java.util.Optional;

/**
 * The inner loops of the one-GEMM E and M steps: a chunk of rows expanded into feature columns
 * ({@code [z_a z_b | z | 1]} or {@code [z∘z | z (| 1)]} with {@code z = x - r}), then multiplied by
 * skinny matrices, {@code F W} (every component's log-density) and {@code U^T F} (every
 * component's moments). All arrays are column-major.
 *
 * <p>At small d these products have one short dimension (p features, k components) and one long
 * one (the chunk's rows), a shape for which a general GEMM spends as much on packing its operands
 * as on arithmetic. Two implementations: one over the Vector API with register-blocked products
 * for up to {@link #SMALL_PRODUCT_MAX} features and components (BLAS beyond), used when the JVM has
 * {@code jdk.incubator.vector}; and one of plain loops and BLAS {@code dgemm}. They agree to
 * rounding: only the order of the sums differs.
 */
public abstract class FeatureKernels {
  /**
   * Widest feature and component count the vector implementation multiplies itself: a 512-row
   * chunk of that many features (256 KiB) stays in a core's cache; beyond it BLAS, which blocks
   * for the cache, is faster.
   */
  public static final int SMALL_PRODUCT_MAX = 64;

  private static final FeatureKernels PLAIN = new Plain();
  private static final Optional<FeatureKernels> VECTOR = VectorApi.load("VectorFeatureKernels", FeatureKernels.class);
  private static final FeatureKernels BEST = VECTOR.orElse(PLAIN);

  FeatureKernels() {}

  /** The implementation in use: the vector one when available. */
  public static FeatureKernels get() {
    return BEST;
  }

  /** Plain loops and BLAS, always available. */
  public static FeatureKernels plain() {
    return PLAIN;
  }

  /** The Vector API implementation, when the JVM has the incubator module. */
  public static Optional<FeatureKernels> vector() {
    return VECTOR;
  }

  /** A short name for logs: {@code vector(512 bit)} or {@code plain}. */
  public abstract String describe();

  /** Columns of {@link #quadraticFeatures}: d(d+1)/2 products, d linear terms and a one. */
  public static int quadraticWidth(int d) {
    return d * (d + 1) / 2 + d + 1;
  }

  /**
   * Writes rows {@code i0 .. i0+m-1} of the column-major {@code n x d} values {@code x}, centred at
   * {@code r}, as quadratic features, {@code m x quadraticWidth(d)}: the products {@code z_a z_b}
   * for {@code a >= b} (b outer, a inner), then {@code z}, then ones.
   *
   * @param f at least {@code m * quadraticWidth(d)} doubles, overwritten
   */
  public abstract void quadraticFeatures(double[] x, int n, int i0, int m, double[] r, double[] f);

  /**
   * Writes the same rows centred at {@code r} as {@code [Z∘Z | Z]} ({@code m x 2d}), and a column
   * of ones after them when {@code ones} ({@code m x (2d+1)}).
   */
  public abstract void centredPowers(double[] x, int n, int i0, int m, double[] r, double[] a, boolean ones);

  /**
   * {@code out[c*ldOut + outOffset + i] := sum_q f[q*m + i] w[c*p + q]}: the {@code m x k} product
   * of the {@code m x p} features and the {@code p x k} weights.
   */
  public abstract void times(int m, int k, int p, double[] f, double[] w, double[] out, int outOffset, int ldOut);

  /**
   * {@code t[q*k + c] := sum_i u[uOffset + c*ldU + i] f[q*m + i]}: the {@code k x p} product of the
   * transposed {@code m x k} weights U and the {@code m x p} features.
   */
  public abstract void transposeTimes(int m, int k, int p, double[] u, int uOffset, int ldU, double[] f,
      double[] t);

  /** Plain loops, BLAS for the products. */
  private static final class Plain extends FeatureKernels {
    @Override
    public String describe() {
      return "plain";
    }

    @Override
    public void quadraticFeatures(double[] x, int n, int i0, int m, double[] r, double[] f) {
      int d = r.length;
      int linear = d * (d + 1) / 2;
      for (int a = 0; a < d; a++) {
        double ref = r[a];
        int from = a * n + i0;
        int to = (linear + a) * m;
        for (int i = 0; i < m; i++) {
          f[to + i] = x[from + i] - ref;
        }
      }
      int q = 0;
      for (int b = 0; b < d; b++) {
        double rb = r[b];
        int xb = b * n + i0;
        for (int a = b; a < d; a++) {
          // From x rather than from the z columns just written: reads and writes in different
          // arrays at the same index are what the JIT vectorises.
          double ra = r[a];
          int xa = a * n + i0;
          int to = q++ * m;
          for (int i = 0; i < m; i++) {
            f[to + i] = (x[xa + i] - ra) * (x[xb + i] - rb);
          }
        }
      }
      Arrays.fill(f, (linear + d) * m, (linear + d + 1) * m, 1.0);
    }

    @Override
    public void centredPowers(double[] x, int n, int i0, int m, double[] r, double[] a, boolean ones) {
      int d = r.length;
      for (int j = 0; j < d; j++) {
        double ref = r[j];
        int from = j * n + i0;
        int sq = j * m;
        int lin = (d + j) * m;
        for (int i = 0; i < m; i++) {
          double z = x[from + i] - ref;
          a[lin + i] = z;
          a[sq + i] = z * z;
        }
      }
      if (ones) {
        Arrays.fill(a, 2 * d * m, (2 * d + 1) * m, 1.0);
      }
    }

    @Override
    public void times(int m, int k, int p, double[] f, double[] w, double[] out, int outOffset, int ldOut) {
      Blas.blas().dgemm("N", "N", m, k, p, 1.0, f, 0, m, w, 0, p, 0.0, out, outOffset, ldOut);
    }

    @Override
    public void transposeTimes(int m, int k, int p, double[] u, int uOffset, int ldU, double[] f, double[] t) {
      Blas.blas().dgemm("T", "N", k, p, m, 1.0, u, uOffset, ldU, f, 0, m, 0.0, t, 0, k);
    }
  }
}
