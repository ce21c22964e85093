package org.sparkgmm.linalg;

import org.netlib.util.intW;

/**
 * Cholesky factorisation of symmetric positive definite matrices (LAPACK {@code dpotrf}).
 *
 * <p>Matrices are dense, column-major, {@code n x n}. The factor is lower triangular: {@code A = L L^T}.
 */
public final class Cholesky {
  private Cholesky() {}

  /**
   * Returns the lower Cholesky factor of {@code a}; the strict upper triangle of the result is zero.
   *
   * @param a column-major symmetric matrix of size {@code n*n}; only its lower triangle is read; not modified
   * @param n the order of the matrix
   * @return the factor {@code L} with {@code a = L L^T}, or {@code null} when {@code a} is not
   *     positive definite (or holds a non-finite value)
   * @throws IllegalArgumentException if {@code a.length != n*n}
   */
  public static double[] lowerFactor(double[] a, int n) {
    if (a.length != n * n) {
      throw new IllegalArgumentException("Matrix has " + a.length + " values, expected " + n + "x" + n);
    }
    for (double v : a) {
      if (!Double.isFinite(v)) {
        return null;
      }
    }
    double[] l = a.clone();
    intW info = new intW(0);
    Blas.lapack().dpotrf("L", n, l, n, info);
    if (info.val != 0) {
      return null;
    }
    for (int col = 1; col < n; col++) {
      for (int row = 0; row < col; row++) {
        l[col * n + row] = 0.0;
      }
    }
    return l;
  }

  /** Returns {@code sum_j log L[j][j]}, that is half the log-determinant of {@code L L^T}. */
  public static double halfLogDet(double[] lower, int n) {
    double s = 0.0;
    for (int j = 0; j < n; j++) {
      s += Math.log(lower[j * n + j]);
    }
    return s;
  }

  /**
   * Solves {@code L L^T X = B} in place: {@code b} (column-major {@code n x columns}) becomes X.
   *
   * @param lower a factor from {@link #lowerFactor}
   */
  public static void solve(double[] lower, int n, double[] b, int columns) {
    for (int col = 0; col < columns; col++) {
      int o = col * n;
      for (int i = 0; i < n; i++) {
        double v = b[o + i];
        for (int q = 0; q < i; q++) {
          v -= lower[q * n + i] * b[o + q];
        }
        b[o + i] = v / lower[i * n + i];
      }
      for (int i = n - 1; i >= 0; i--) {
        double v = b[o + i];
        for (int q = i + 1; q < n; q++) {
          v -= lower[i * n + q] * b[o + q];
        }
        b[o + i] = v / lower[i * n + i];
      }
    }
  }
}
