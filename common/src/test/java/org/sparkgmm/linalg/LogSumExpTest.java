package org.sparkgmm.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both implementations of {@link LogSumExp} against the definition evaluated with
 * {@code Math.exp} and {@code Math.log} one row at a time: row counts that are and are not
 * multiples of the vector length, components far below the row's maximum (underflowing to 0),
 * components at {@code -inf}, and values far from zero.
 */
class LogSumExpTest {
  @Test
  void theVectorImplementationLoadsUnderTheTestJvm() {
    // The tests (like the submit script and the benchmark) start the JVM with the incubator module.
    assertThat(LogSumExp.vector()).isPresent();
    assertThat(LogSumExp.get()).isSameAs(LogSumExp.vector().orElseThrow());
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (LogSumExp impl : implementations()) {
      for (int n : new int[] {1, 3, 8, 17, 64, 1000}) {
        for (int k : new int[] {1, 2, 8, 9}) {
          b.add(Arguments.of(impl.describe(), impl, n, k));
        }
      }
    }
    return b.build();
  }

  private static LogSumExp[] implementations() {
    return LogSumExp.vector().map(v -> new LogSumExp[] {LogSumExp.scalar(), v})
        .orElseGet(() -> new LogSumExp[] {LogSumExp.scalar()});
  }

  @ParameterizedTest(name = "{0} n={2} k={3}")
  @MethodSource("cases")
  void responsibilitiesAndRowLogSumExpEqualTheDefinition(String name, LogSumExp impl, int n, int k) {
    Random random = new Random(31L * n + k);
    double[] lp = new double[n * k];
    double[] logWeights = new double[k];
    for (int c = 0; c < k; c++) {
      logWeights[c] = Math.log((c + 1.0) / (k * (k + 1) / 2.0));
    }
    for (int i = 0; i < n; i++) {
      double level = -1000.0 + 2000.0 * random.nextDouble();
      for (int c = 0; c < k; c++) {
        double v = switch (random.nextInt(6)) {
          case 0 -> level - 800.0 * random.nextDouble(); // often underflows against the row's best
          case 1 -> k > 1 && c > 0 ? Double.NEGATIVE_INFINITY : level;
          default -> level + 30.0 * random.nextGaussian();
        };
        lp[c * n + i] = v;
      }
    }
    double[] expectedLse = new double[n];
    double[] expectedResp = new double[n * k];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, lp[c * n + i] + logWeights[c]);
      }
      double s = 0.0;
      for (int c = 0; c < k; c++) {
        s += Math.exp(lp[c * n + i] + logWeights[c] - max);
      }
      expectedLse[i] = max + Math.log(s);
      for (int c = 0; c < k; c++) {
        expectedResp[c * n + i] = Math.exp(lp[c * n + i] + logWeights[c] - max) / s;
      }
    }
    double[] max = new double[n];
    double[] sum = new double[n];
    impl.addWeightsAndMax(lp, logWeights, n, max);
    impl.normalise(lp, n, k, max, sum);
    for (int i = 0; i < n; i++) {
      assertThat(max[i]).as("log-sum-exp of row %d", i)
          .isCloseTo(expectedLse[i], within(1e-13 * Math.max(1.0, Math.abs(expectedLse[i]))));
      double total = 0.0;
      for (int c = 0; c < k; c++) {
        assertThat(lp[c * n + i]).as("r[%d,%d]", i, c).isCloseTo(expectedResp[c * n + i], within(1e-13));
        total += lp[c * n + i];
      }
      assertThat(total).isCloseTo(1.0, within(1e-13));
    }
  }
}
