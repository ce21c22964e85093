package org.sparkgmm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Named tolerances and relative-comparison helpers shared by the tests of every module. */
public final class Tolerances {
  /** Against scikit-learn after 20 EM iterations from the same start (issue acceptance: 1e-6). */
  public static final double SKLEARN_EM = 1e-6;
  /** Results that differ only by floating-point summation order. */
  public static final double SUMMATION_ORDER = 1e-9;
  /** Closed forms and exact rearrangements. */
  public static final double CLOSED_FORM = 1e-12;

  private Tolerances() {}

  /**
   * Asserts {@code |a - e| <= rel * max(|e|, floor)} element-wise, where {@code floor} is a small
   * fraction of the largest expected magnitude so that entries near zero (off-diagonal
   * covariances) are compared at the scale of their array rather than against zero.
   */
  public static void assertRelClose(double[] actual, double[] expected, double rel, String what) {
    assertThat(actual).as(what + " length").hasSameSizeAs(expected);
    double scale = 0.0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double floor = scale * 1e-3;
    for (int i = 0; i < expected.length; i++) {
      double bound = rel * Math.max(Math.abs(expected[i]), floor);
      if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
        fail("%s[%d]: expected %s, got %s (relative error %.3g, allowed %.3g)", what, i, expected[i], actual[i],
            Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor), rel);
      }
    }
  }

  /** Flattens a matrix row by row. */
  public static double[] flat(double[][] m) {
    int n = 0;
    for (double[] r : m) {
      n += r.length;
    }
    double[] f = new double[n];
    int o = 0;
    for (double[] r : m) {
      System.arraycopy(r, 0, f, o, r.length);
      o += r.length;
    }
    return f;
  }
}
