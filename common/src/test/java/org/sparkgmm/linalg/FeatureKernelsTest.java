package org.sparkgmm.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both implementations of {@link FeatureKernels} against the definitions written out element by
 * element: row counts around the vector length and its multiples (the vector kernels' remainders),
 * component counts around their blocks of four and feature counts around their blocks of three,
 * operands at offsets inside larger arrays, and shapes beyond {@link FeatureKernels#SMALL_PRODUCT_MAX}
 * (where the vector implementation hands the product to BLAS).
 */
class FeatureKernelsTest {
  @Test
  void theVectorImplementationLoadsUnderTheTestJvm() {
    assertThat(FeatureKernels.vector()).isPresent();
    assertThat(FeatureKernels.get()).isSameAs(FeatureKernels.vector().orElseThrow());
    assertThat(FeatureKernels.get().describe()).startsWith("vector(");
  }

  private static FeatureKernels[] implementations() {
    return FeatureKernels.vector().map(v -> new FeatureKernels[] {FeatureKernels.plain(), v})
        .orElseGet(() -> new FeatureKernels[] {FeatureKernels.plain()});
  }

  static Stream<Arguments> products() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (FeatureKernels impl : implementations()) {
      for (int m : new int[] {1, 7, 8, 16, 17, 31, 512}) {
        for (int k : new int[] {1, 3, 4, 5, 8, 9}) {
          for (int p : new int[] {1, 2, 3, 4, 15, 16}) {
            b.add(Arguments.of(impl.describe(), impl, m, k, p));
          }
        }
      }
      b.add(Arguments.of(impl.describe(), impl, 100, 65, 7));
      b.add(Arguments.of(impl.describe(), impl, 100, 6, 65));
      b.add(Arguments.of(impl.describe(), impl, 77, 64, 64));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} m={2} k={3} p={4}")
  @MethodSource("products")
  void timesEqualsTheSumOfProducts(String name, FeatureKernels impl, int m, int k, int p) {
    Random random = new Random(1000L * m + 10L * k + p);
    double[] f = gaussian(random, m * p);
    double[] w = gaussian(random, k * p);
    int offset = 5;
    int ld = m + 9;
    double[] out = new double[offset + k * ld];
    Arrays.fill(out, Double.NaN);
    impl.times(m, k, p, f, w, out, offset, ld);
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < m; i++) {
        double expected = 0.0;
        double scale = 0.0;
        for (int q = 0; q < p; q++) {
          expected += f[q * m + i] * w[c * p + q];
          scale += Math.abs(f[q * m + i] * w[c * p + q]);
        }
        assertThat(out[offset + c * ld + i]).as("c=%d i=%d", c, i).isCloseTo(expected, within(1e-13 * (1 + scale)));
      }
      // Between the columns (and before the first) nothing was written.
      for (int i = m; i < ld && c + 1 < k; i++) {
        assertThat(out[offset + c * ld + i]).isNaN();
      }
    }
    assertThat(Arrays.copyOf(out, offset)).containsOnly(Double.NaN);
  }

  @ParameterizedTest(name = "{0} m={2} k={3} p={4}")
  @MethodSource("products")
  void transposeTimesEqualsTheSumOverRows(String name, FeatureKernels impl, int m, int k, int p) {
    Random random = new Random(1000L * m + 10L * k + p + 1);
    int offset = 3;
    int ld = m + 4;
    double[] u = gaussian(random, offset + k * ld);
    double[] f = gaussian(random, m * p);
    double[] t = new double[k * p];
    Arrays.fill(t, Double.NaN);
    impl.transposeTimes(m, k, p, u, offset, ld, f, t);
    for (int c = 0; c < k; c++) {
      for (int q = 0; q < p; q++) {
        double expected = 0.0;
        double scale = 0.0;
        for (int i = 0; i < m; i++) {
          expected += u[offset + c * ld + i] * f[q * m + i];
          scale += Math.abs(u[offset + c * ld + i] * f[q * m + i]);
        }
        assertThat(t[q * k + c]).as("c=%d q=%d", c, q).isCloseTo(expected, within(1e-13 * (1 + scale)));
      }
    }
  }

  static Stream<Arguments> expansions() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (FeatureKernels impl : implementations()) {
      for (int m : new int[] {1, 7, 8, 9, 33}) {
        for (int d : new int[] {1, 2, 4, 9}) {
          b.add(Arguments.of(impl.describe(), impl, m, d));
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} m={2} d={3}")
  @MethodSource("expansions")
  void quadraticFeaturesAreTheCentredProductsThenTheCentredValuesThenOnes(String name, FeatureKernels impl,
      int m, int d) {
    Random random = new Random(17L * m + d);
    int n = m + 11;
    int i0 = 6;
    double[] x = gaussian(random, n * d);
    double[] r = gaussian(random, d);
    int p = FeatureKernels.quadraticWidth(d);
    double[] f = new double[m * p + 3];
    Arrays.fill(f, Double.NaN);
    impl.quadraticFeatures(x, n, i0, m, r, f);
    for (int i = 0; i < m; i++) {
      int q = 0;
      for (int b = 0; b < d; b++) {
        for (int a = b; a < d; a++) {
          double za = x[a * n + i0 + i] - r[a];
          double zb = x[b * n + i0 + i] - r[b];
          assertThat(f[q++ * m + i]).as("i=%d product %d,%d", i, a, b).isCloseTo(za * zb, within(1e-15));
        }
      }
      for (int a = 0; a < d; a++) {
        assertThat(f[q++ * m + i]).isEqualTo(x[a * n + i0 + i] - r[a]);
      }
      assertThat(f[q * m + i]).isEqualTo(1.0);
    }
    assertThat(Arrays.copyOfRange(f, m * p, f.length)).containsOnly(Double.NaN);
  }

  @ParameterizedTest(name = "{0} m={2} d={3}")
  @MethodSource("expansions")
  void centredPowersAreSquaresThenValuesThenOptionalOnes(String name, FeatureKernels impl, int m, int d) {
    Random random = new Random(19L * m + d);
    int n = m + 2;
    int i0 = 1;
    double[] x = gaussian(random, n * d);
    double[] r = gaussian(random, d);
    for (boolean ones : new boolean[] {false, true}) {
      int width = 2 * d + (ones ? 1 : 0);
      double[] a = new double[m * width + 2];
      Arrays.fill(a, Double.NaN);
      impl.centredPowers(x, n, i0, m, r, a, ones);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < d; j++) {
          double z = x[j * n + i0 + i] - r[j];
          assertThat(a[j * m + i]).isEqualTo(z * z);
          assertThat(a[(d + j) * m + i]).isEqualTo(z);
        }
        if (ones) {
          assertThat(a[2 * d * m + i]).isEqualTo(1.0);
        }
      }
      assertThat(Arrays.copyOfRange(a, m * width, a.length)).containsOnly(Double.NaN);
    }
  }

  private static double[] gaussian(Random random, int size) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }
}
