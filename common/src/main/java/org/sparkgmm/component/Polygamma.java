package org.sparkgmm.component;

/**
 * The digamma and trigamma functions to full double precision, for Gamma's shape and Student-t's
 * degrees of freedom. (Commons Math 3.6's {@code Gamma.digamma} is only accurate to about 3e-9,
 * which moves a Gamma shape estimate by 1e-8.) Both shift the argument above {@link #SHIFT_TO} by
 * the recurrences {@code psi(x) = psi(x+1) - 1/x} and {@code psi'(x) = psi'(x+1) + 1/x^2}, then sum
 * the asymptotic series in {@code 1/x^2} (Abramowitz and Stegun 6.3.18 and 6.4.12), whose
 * truncation error there is below 1e-17.
 */
final class Polygamma {
  static final double SHIFT_TO = 10.0;

  private Polygamma() {}

  /** {@code psi(x) = d/dx log Gamma(x)} for {@code x > 0}. */
  static double digamma(double x) {
    double shift = 0.0;
    while (x < SHIFT_TO) {
      shift -= 1.0 / x;
      x += 1.0;
    }
    double r = 1.0 / (x * x);
    double series = r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132
        - r * (691.0 / 32760 - r / 12))))));
    return shift + Math.log(x) - 0.5 / x - series;
  }

  /** {@code psi'(x)} for {@code x > 0}. */
  static double trigamma(double x) {
    double shift = 0.0;
    while (x < SHIFT_TO) {
      shift += 1.0 / (x * x);
      x += 1.0;
    }
    double r = 1.0 / (x * x);
    double series = (1.0 / 6 - r * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30 - r * (5.0 / 66
        - r * (691.0 / 2730 - r * 7.0 / 6)))))) / (x * x * x);
    return shift + 1.0 / x + 0.5 * r + series;
  }
}
