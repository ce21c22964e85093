package org.sparkgmm.component;

import java.util.Set;

/**
 * What an M-step needs besides the statistics: the covariance regularisation, the parameters to
 * update, the components that keep their parameters, and where re-seeded components restart.
 *
 * @param reg added to Gaussian covariances and Normal/LogNormal/Student-t variances
 *     (scikit-learn's {@code reg_covar}, absolute or relative to the data)
 * @param update the parameters EM changes: for Gaussian blocks, means ({@code m}) and covariances
 *     ({@code c}); for Normal, LogNormal and Student-t features, location ({@code m}) and scale and
 *     degrees of freedom ({@code c}); every other family's parameters follow {@code m}
 * @param keep per component: keeps its previous parameters (frozen, or collapsed with means held)
 * @param reseedAt per component: {@code null}, or the mixture row (all features) a collapsed
 *     component restarts at: location at the row, spread pooled from the surviving components
 * @param pseudocount added to every category count of Categorical features
 */
public record Estimation(Regularisation reg, Set<Parameter> update, boolean[] keep, double[][] reseedAt,
    double pseudocount) {
  /** Checks the values. */
  public Estimation {
    java.util.Objects.requireNonNull(reg, "reg");
    if (!(pseudocount >= 0.0) || Double.isInfinite(pseudocount)) {
      throw new IllegalArgumentException("The pseudocount must be finite and >= 0, got " + pseudocount);
    }
    if (keep.length != reseedAt.length) {
      throw new IllegalArgumentException("keep and reseedAt must have one entry per component");
    }
    update = Set.copyOf(update);
  }

  /** Whether component {@code c} is estimated from its statistics (neither kept nor re-seeded). */
  public boolean estimated(int c) {
    return !keep[c] && reseedAt[c] == null;
  }

  /** The re-seed row of component {@code c} restricted to {@code features}, or {@code null}. */
  public double[] reseedAt(int c, int[] features) {
    double[] row = reseedAt[c];
    if (row == null) {
      return null;
    }
    double[] out = new double[features.length];
    for (int j = 0; j < features.length; j++) {
      out[j] = row[features[j]];
    }
    return out;
  }
}
