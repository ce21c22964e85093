package org.sparkgmm.em;

import org.sparkgmm.component.Parameter;
import java.util.EnumSet;
import java.util.Set;
import org.sparkgmm.component.Regularisation;

/**
 * The EM loop's settings, validated on construction.
 *
 * @param maxIter maximum EM iterations, at least 1
 * @param tol stop when the change of the mean log-likelihood per row is below this; {@code 0}
 *     runs all {@code maxIter} iterations
 * @param regCovar non-negative value added to every covariance diagonal
 * @param update the parameters EM may change, at least one
 * @param frozen components that keep their starting parameters (pomegranate's {@code frozen}); their
 *     weights still follow {@code update}
 * @param pseudocount added to every category count of Categorical features (0: maximum likelihood)
 * @param regScale what {@code regCovar} is relative to: the data's feature variances
 *     ({@link Regularisation#relative}), or null for scikit-learn's absolute {@code reg_covar I}
 */
public record EmOptions(int maxIter, double tol, double regCovar, Set<Parameter> update, Set<Integer> frozen,
    double pseudocount, double[] regScale) {
  /** scikit-learn's defaults: 100 iterations, tol 1e-3, reg_covar 1e-6, every parameter updated. */
  public static final EmOptions DEFAULTS = new EmOptions(100, 1e-3, 1e-6);

  /**
   * The default {@code tol} of general mixtures (structures other than one Gaussian): 1e-6 per row,
   * pomegranate's stopping rule (0.1 on the total log-likelihood) at 100,000 rows. Their components
   * overlap more than Gaussian clusters usually do, and scikit-learn's 1e-3 per row stops EM while
   * the weights still move by several percent.
   */
  public static final double GENERAL_TOL = 1e-6;

  /** {@link #DEFAULTS} with {@link #GENERAL_TOL}: the defaults of general mixtures. */
  public static final EmOptions GENERAL_DEFAULTS = new EmOptions(100, GENERAL_TOL, 1e-6);

  /** @throws IllegalArgumentException naming the value and the valid range */
  public EmOptions {
    if (maxIter < 1) {
      throw new IllegalArgumentException("max-iter must be >= 1, got " + maxIter);
    }
    if (!(tol >= 0.0) || Double.isInfinite(tol)) {
      throw new IllegalArgumentException("tol must be finite and >= 0, got " + tol);
    }
    if (!(regCovar >= 0.0) || Double.isInfinite(regCovar)) {
      throw new IllegalArgumentException("reg-covar must be finite and >= 0, got " + regCovar);
    }
    if (update.isEmpty()) {
      throw new IllegalArgumentException("update must name at least one parameter");
    }
    if (!(pseudocount >= 0.0) || Double.isInfinite(pseudocount)) {
      throw new IllegalArgumentException("pseudocount must be finite and >= 0, got " + pseudocount);
    }
    for (int c : frozen) {
      if (c < 0) {
        throw new IllegalArgumentException("A frozen component index must be >= 0, got " + c);
      }
    }
    update = Set.copyOf(update);
    frozen = Set.copyOf(frozen);
    regScale = regScale == null ? null : regScale.clone();
  }

  /** Options with an absolute {@code reg_covar} (no scale yet). */
  public EmOptions(int maxIter, double tol, double regCovar, Set<Parameter> update, Set<Integer> frozen,
      double pseudocount) {
    this(maxIter, tol, regCovar, update, frozen, pseudocount, null);
  }

  /** These options with {@code reg_covar} relative to {@code scale} (the data's feature variances), or absolute for null. */
  public EmOptions withRegScale(double[] scale) {
    return new EmOptions(maxIter, tol, regCovar, update, frozen, pseudocount, scale);
  }

  /** The regularisation these options give: {@code regCovar} times {@code regScale}, or absolute. */
  public Regularisation regularisation() {
    if (regScale == null) {
      return Regularisation.absolute(regCovar);
    }
    return Regularisation.relative(regCovar, regScale);
  }

  /** Options without frozen components or pseudocount. */
  public EmOptions(int maxIter, double tol, double regCovar, Set<Parameter> update) {
    this(maxIter, tol, regCovar, update, Set.of(), 0.0);
  }

  /** Whether component {@code c} is frozen, as a flag per component of a k-component mixture. */
  public boolean[] frozenFlags(int k) {
    boolean[] f = new boolean[k];
    for (int c : frozen) {
      if (c >= k) {
        throw new IllegalArgumentException("Frozen component " + c + " does not exist: the mixture has " + k
            + " components (0 to " + (k - 1) + ")");
      }
      f[c] = true;
    }
    return f;
  }

  /** Options that update every parameter. */
  public EmOptions(int maxIter, double tol, double regCovar) {
    this(maxIter, tol, regCovar, EnumSet.allOf(Parameter.class));
  }
}
