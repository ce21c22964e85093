package org.sparkgmm.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Digamma and trigamma against exact values (Abramowitz and Stegun 6.3.2, 6.3.3, 6.4.2; the recurrences). */
class PolygammaTest {
  private static final double EULER = 0.57721566490153286061;

  @Test
  void digammaAtExactPoints() {
    assertThat(Polygamma.digamma(1.0)).isCloseTo(-EULER, within(1e-15));
    assertThat(Polygamma.digamma(0.5)).isCloseTo(-EULER - 2 * Math.log(2), within(2e-15));
    double harmonic = 0.0;
    for (int j = 1; j < 25; j++) {
      harmonic += 1.0 / j;
    }
    assertThat(Polygamma.digamma(25.0)).isCloseTo(harmonic - EULER, within(5e-15));
    // psi(x+1) = psi(x) + 1/x at a point where the shifting differs.
    assertThat(Polygamma.digamma(3.7) + 1 / 3.7).isCloseTo(Polygamma.digamma(4.7), within(1e-15));
    assertThat(Polygamma.digamma(1e-8)).isCloseTo(-1e8 - EULER, within(1e-6));
  }

  @Test
  void trigammaAtExactPoints() {
    assertThat(Polygamma.trigamma(1.0)).isCloseTo(Math.PI * Math.PI / 6, within(1e-15));
    assertThat(Polygamma.trigamma(0.5)).isCloseTo(Math.PI * Math.PI / 2, within(5e-15));
    assertThat(Polygamma.trigamma(3.7) - 1 / (3.7 * 3.7)).isCloseTo(Polygamma.trigamma(4.7), within(1e-15));
  }
}
