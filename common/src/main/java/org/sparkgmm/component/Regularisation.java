package org.sparkgmm.component;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the M-step adds to every estimated covariance: {@code reg_covar} times a scale. With the
 * identity scale (absolute) it is scikit-learn's {@code reg_covar I}, in the features' own units.
 * Relative to the data (the default of fits), the scale is the data's covariance {@code S}, so that
 * the regularisation moves with the data under any affine map of the features and the fitted model
 * does not depend on the units: full and tied covariances get {@code reg S}, diagonal ones
 * {@code reg diag(S)}, a spherical one {@code reg} times the mean of {@code diag(S)} over its
 * features, Normal, LogNormal and Student-t features {@code reg S_jj}. A feature without spread in
 * the data (constant) has scale 1 and no covariance with the others: its variance is
 * {@code reg_covar}, as scikit-learn fits it.
 */
public final class Regularisation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double reg;
  /** d x d, row-major, symmetric; null for the identity. */
  private final double[] scale;
  private final int d;

  private Regularisation(double reg, double[] scale, int d) {
    if (!(reg >= 0.0) || Double.isInfinite(reg)) {
      throw new IllegalArgumentException("reg_covar must be finite and >= 0, got " + reg);
    }
    this.reg = reg;
    this.scale = scale;
    this.d = d;
  }

  /** {@code reg I}: scikit-learn's {@code reg_covar}, in the features' units. */
  public static Regularisation absolute(double reg) {
    return new Regularisation(reg, null, 0);
  }

  /**
   * {@code reg S} for the data covariance {@code S} (d x d, row-major). A feature whose variance
   * is not positive (or not finite) gets scale 1 and no covariance with the others.
   *
   * @throws IllegalArgumentException if {@code covariance} is not d x d
   */
  public static Regularisation relative(double reg, double[] covariance, int d) {
    if (covariance.length != d * d) {
      throw new IllegalArgumentException("A " + d + " x " + d + " scale needs " + d * d + " values, got "
          + covariance.length);
    }
    double[] s = covariance.clone();
    for (int j = 0; j < d; j++) {
      double v = s[j * d + j];
      if (!(v > 0.0) || Double.isInfinite(v)) {
        for (int i = 0; i < d; i++) {
          s[j * d + i] = 0.0;
          s[i * d + j] = 0.0;
        }
        s[j * d + j] = 1.0;
      }
    }
    return new Regularisation(reg, s, d);
  }

  /** The same scale with another {@code reg_covar}. */
  public Regularisation withReg(double other) {
    return new Regularisation(other, scale, d);
  }

  /** {@code reg_covar}. */
  public double reg() {
    return reg;
  }

  /** Whether the scale is the data's (not the identity). */
  public boolean relative() {
    return scale != null;
  }

  /** The scale (d x d, row-major), or null for the identity. */
  public double[] scale() {
    return scale == null ? null : scale.clone();
  }

  /** What is added between mixture features a and b of a full or tied covariance. */
  public double at(int a, int b) {
    if (scale == null) {
      return a == b ? reg : 0.0;
    }
    return reg * scale[a * d + b];
  }

  /** What is added to the variance of mixture feature j (diagonal covariances, univariate families). */
  public double variance(int j) {
    return at(j, j);
  }

  /** What is added to a spherical variance over these mixture features: reg times their mean scale. */
  public double spherical(int[] features) {
    if (scale == null) {
      return reg;
    }
    double sum = 0.0;
    for (int f : features) {
      sum += scale[f * d + f];
    }
    return reg * sum / features.length;
  }

  /**
   * The Cholesky pivots of the scale over {@code features} (each feature's scale left over after
   * the features before it): the least a pivot of a regularised covariance can be is {@code reg}
   * times this.
   */
  public double[] pivots(int[] features) {
    int m = features.length;
    double[] out = new double[m];
    if (scale == null) {
      Arrays.fill(out, 1.0);
      return out;
    }
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = scale[features[i] * d + features[j]];
        for (int p = 0; p < j; p++) {
          sum -= l[i][p] * l[j][p];
        }
        if (i == j) {
          out[i] = Math.max(sum, 0.0);
          l[i][i] = Math.sqrt(Math.max(sum, Double.MIN_NORMAL));
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "reg_covar=" + reg + (scale == null ? "" : " x data covariance");
  }
}
