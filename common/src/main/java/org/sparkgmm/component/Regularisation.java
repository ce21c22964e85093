package org.sparkgmm.component;

import java.io.Serializable;

/**
 * What the M-step adds to every estimated covariance: {@code reg_covar} times a per-feature scale.
 * With unit scales (absolute) it is scikit-learn's {@code reg_covar I}, in the features' own
 * units. Relative to the data (the default of fits), feature j's scale is its variance in the
 * data, {@code S_jj}, so that the regularisation follows a feature's units and the fitted model
 * does not depend on them: full and tied covariances get {@code reg diag(S)}, diagonal ones the
 * same, a spherical one {@code reg} times the mean of {@code S_jj} over its features, Normal,
 * LogNormal and Student-t features {@code reg S_jj}. A feature without spread in the data
 * (constant) has scale 1: its variance is {@code reg_covar}, as scikit-learn fits it. (The whole
 * covariance {@code reg S} would also follow general linear maps, but leaves no regularisation at
 * all along a direction in which collinear features have no spread.)
 */
public final class Regularisation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double reg;
  /** Per feature; null for unit scales. */
  private final double[] scale;

  private Regularisation(double reg, double[] scale) {
    if (!(reg >= 0.0) || Double.isInfinite(reg)) {
      throw new IllegalArgumentException("reg_covar must be finite and >= 0, got " + reg);
    }
    this.reg = reg;
    this.scale = scale;
  }

  /** {@code reg I}: scikit-learn's {@code reg_covar}, in the features' units. */
  public static Regularisation absolute(double reg) {
    return new Regularisation(reg, null);
  }

  /**
   * {@code reg diag(S)} for the data's feature variances {@code S_jj}; a variance that is not
   * positive (or not finite) gets scale 1.
   */
  public static Regularisation relative(double reg, double[] variances) {
    double[] s = variances.clone();
    for (int j = 0; j < s.length; j++) {
      if (!(s[j] > 0.0) || Double.isInfinite(s[j])) {
        s[j] = 1.0;
      }
    }
    return new Regularisation(reg, s);
  }

  /** {@code reg_covar}. */
  public double reg() {
    return reg;
  }

  /** Whether the scales are the data's (not 1). */
  public boolean relative() {
    return scale != null;
  }

  /** What is added to the variance of mixture feature j (any covariance but spherical, univariate families). */
  public double variance(int j) {
    return scale == null ? reg : reg * scale[j];
  }

  /** What is added to a spherical variance over these mixture features: reg times their mean scale. */
  public double spherical(int[] features) {
    if (scale == null) {
      return reg;
    }
    double sum = 0.0;
    for (int f : features) {
      sum += scale[f];
    }
    return reg * sum / features.length;
  }

  @Override
  public String toString() {
    return "reg_covar=" + reg + (scale == null ? "" : " x data variance");
  }
}
