package org.sparkgmm.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;

/**
 * An immutable fitted (or initial) Gaussian mixture: component weights, the Gaussians, and the
 * names of the features it was fitted on.
 *
 * <p>The density is {@code p(x) = sum_c weights[c] * N(x; means[c], Sigma_c)}.
 */
public final class GaussianMixtureModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] weights;
  private final double[] logWeights;
  private final Gaussians gaussians;
  private final List<String> features;

  private GaussianMixtureModel(double[] weights, Gaussians gaussians, List<String> features) {
    this.weights = weights;
    this.gaussians = gaussians;
    this.features = features;
    this.logWeights = new double[weights.length];
    for (int c = 0; c < weights.length; c++) {
      logWeights[c] = Math.log(weights[c]);
    }
  }

  /**
   * Builds a model.
   *
   * @param weights k non-negative finite weights summing to 1 within 1e-6 (they are renormalised)
   * @param features d feature names, or an empty list for {@code x0..x(d-1)}
   * @throws IllegalArgumentException on a bad weight or a shape mismatch
   */
  public static GaussianMixtureModel of(double[] weights, Gaussians gaussians, List<String> features) {
    int k = gaussians.components();
    if (weights.length != k) {
      throw new IllegalArgumentException("Got " + weights.length + " weights for " + k + " components");
    }
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      if (!(weights[c] >= 0.0) || Double.isInfinite(weights[c])) {
        throw new IllegalArgumentException("Weight " + c + " is " + weights[c] + ", must be finite and >= 0");
      }
      sum += weights[c];
    }
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException("Weights sum to " + sum + ", must sum to 1");
    }
    double[] w = new double[k];
    for (int c = 0; c < k; c++) {
      w[c] = weights[c] / sum;
    }
    List<String> names = new ArrayList<>(features);
    if (names.isEmpty()) {
      for (int j = 0; j < gaussians.dimension(); j++) {
        names.add("x" + j);
      }
    }
    if (names.size() != gaussians.dimension()) {
      throw new IllegalArgumentException(
          "Got " + names.size() + " feature names for " + gaussians.dimension() + " features");
    }
    return new GaussianMixtureModel(w, gaussians, List.copyOf(names));
  }

  /** Number of components k. */
  public int components() {
    return weights.length;
  }

  /** Number of features d. */
  public int dimension() {
    return gaussians.dimension();
  }

  /** The covariance structure. */
  public CovarianceType covarianceType() {
    return gaussians.covarianceType();
  }

  /** Mixture weights, a copy. */
  public double[] weights() {
    return weights.clone();
  }

  /** Natural logarithms of the weights, a copy. */
  public double[] logWeights() {
    return logWeights.clone();
  }

  /** The component Gaussians. */
  public Gaussians gaussians() {
    return gaussians;
  }

  /** Means {@code [k][d]}, a copy. */
  public double[][] means() {
    return gaussians.means();
  }

  /** Feature names, length d. */
  public List<String> features() {
    return features;
  }

  /** The same parameters under other feature names. */
  public GaussianMixtureModel withFeatures(List<String> names) {
    return of(weights, gaussians, names);
  }

  /** Free parameters: covariances, means and k-1 weights (scikit-learn's {@code _n_parameters}). */
  public long parameterCount() {
    int k = components();
    int d = dimension();
    return covarianceType().covarianceParameters(k, d) + (long) k * d + k - 1;
  }
}
