package org.sparkgmm.linalg;

import java.util.Arrays;
import java.util.Optional;

/**
 * Turns joint log-densities into responsibilities, row by row over a column-major {@code n x k}
 * array: the E-step's exp and log, which at small d cost more than its GEMMs.
 *
 * <p>Two implementations: one over the Vector API ({@code jdk.incubator.vector}, whose exp and
 * log are vectorised, about 0.5 ns a value against 3.3 ns for {@code Math.exp} on the development
 * machine), used when the JVM runs with {@code --add-modules=jdk.incubator.vector} as the submit
 * script, the tests and the benchmark start it; and a scalar one otherwise. The vector class is
 * compiled separately (it needs the incubator module, whose compiler warning cannot be silenced
 * under {@code -Werror}) and is only loaded when the module is there. The two agree to a few ulps.
 */
public abstract class LogSumExp {
  private static final LogSumExp SCALAR = new Scalar();
  private static final Optional<LogSumExp> VECTOR = VectorApi.load("VectorLogSumExp", LogSumExp.class);
  private static final LogSumExp BEST = VECTOR.orElse(SCALAR);

  LogSumExp() {}

  /** The implementation in use: the vector one when available. */
  public static LogSumExp get() {
    return BEST;
  }

  /** The scalar implementation, always available. */
  public static LogSumExp scalar() {
    return SCALAR;
  }

  /** The Vector API implementation, when the JVM has the incubator module. */
  public static Optional<LogSumExp> vector() {
    return VECTOR;
  }

  /** A short name for logs: {@code vector(512 bit)} or {@code scalar}. */
  public abstract String describe();

  /**
   * {@code lp[c*n+i] += logWeights[c]} and {@code max[i] := max_c lp[c*n+i]} ({@code -inf} when
   * every component is {@code -inf}).
   */
  public abstract void addWeightsAndMax(double[] lp, double[] logWeights, int n, double[] max);

  /**
   * With {@code max} from {@link #addWeightsAndMax}: {@code lp[c*n+i] := exp(lp[c*n+i] - max[i]) / s_i}
   * with {@code s_i = sum_c exp(lp[c*n+i] - max[i])}, and {@code max[i] += log s_i}, the row's
   * log-sum-exp. {@code sum} is work space of n doubles.
   */
  public abstract void normalise(double[] lp, int n, int k, double[] max, double[] sum);

  private static final class Scalar extends LogSumExp {
    /** Below this, {@code Math.exp} returns 0.0: skipping the call changes no result. */
    private static final double EXP_UNDERFLOW = -745.2;

    @Override
    public String describe() {
      return "scalar";
    }

    @Override
    public void addWeightsAndMax(double[] lp, double[] logWeights, int n, double[] max) {
      Arrays.fill(max, 0, n, Double.NEGATIVE_INFINITY);
      for (int c = 0; c < logWeights.length; c++) {
        double lw = logWeights[c];
        int o = c * n;
        for (int i = 0; i < n; i++) {
          double v = lp[o + i] + lw;
          lp[o + i] = v;
          double m = max[i];
          max[i] = v > m ? v : m; // a select, not a branch: which component wins is unpredictable
        }
      }
    }

    @Override
    public void normalise(double[] lp, int n, int k, double[] max, double[] sum) {
      Arrays.fill(sum, 0, n, 0.0);
      for (int c = 0; c < k; c++) {
        int o = c * n;
        for (int i = 0; i < n; i++) {
          double t = lp[o + i] - max[i];
          double e = t < EXP_UNDERFLOW ? 0.0 : Math.exp(t);
          lp[o + i] = e;
          sum[i] += e;
        }
      }
      for (int i = 0; i < n; i++) {
        max[i] += Math.log(sum[i]);
        sum[i] = 1.0 / sum[i];
      }
      for (int c = 0; c < k; c++) {
        int o = c * n;
        for (int i = 0; i < n; i++) {
          lp[o + i] *= sum[i];
        }
      }
    }
  }
}
