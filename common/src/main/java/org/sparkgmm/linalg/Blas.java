package org.sparkgmm.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;

/**
 * The one place that picks the BLAS and LAPACK implementations for the whole project.
 *
 * <p>dev.ludovic.netlib chooses native OpenBLAS when {@code libblas.so.3} loads, else the Vector
 * API implementation when the JVM has {@code --add-modules jdk.incubator.vector}, else plain Java.
 */
public final class Blas {
  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
  private static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();

  private Blas() {}

  /** The BLAS in use. */
  public static BLAS blas() {
    return BLAS_INSTANCE;
  }

  /**
   * True when the BLAS in use is native. Native BLAS runs DTRSM and DSYRK about as fast as DGEMM;
   * netlib's Java fallback vectorises only DGEMM and DGEMV and runs the triangular routines as
   * scalar loops, so kernels that have both formulations take the GEMM-only one when this is false.
   */
  public static boolean isNative() {
    return BLAS_INSTANCE instanceof NativeBLAS;
  }

  /** The LAPACK in use. */
  public static LAPACK lapack() {
    return LAPACK_INSTANCE;
  }

  /** A short description of the implementations in use, for logs and metrics. */
  public static String describe() {
    return BLAS_INSTANCE.getClass().getSimpleName() + "/" + LAPACK_INSTANCE.getClass().getSimpleName();
  }
}
