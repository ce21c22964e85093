package org.sparkgmm.em;

import java.util.List;
import org.sparkgmm.model.GaussianMixtureModel;

/**
 * The outcome of an EM run.
 *
 * @param model the final model (after the last M-step)
 * @param iterations number of E+M steps done ({@code n_iter})
 * @param converged whether the change in mean log-likelihood fell below {@code tol}
 * @param history mean log-likelihood per unit weight at each iteration's E-step (the model before
 *     that iteration's M-step), as scikit-learn's lower bound
 * @param logLikelihood total weighted log-likelihood of the final model on the data
 * @param weightSum total row weight (the row count for unit weights)
 * @param rows number of rows
 */
public record FitResult(
    GaussianMixtureModel model,
    int iterations,
    boolean converged,
    List<Double> history,
    double logLikelihood,
    double weightSum,
    long rows) {

  public FitResult {
    history = List.copyOf(history);
  }

  /** Mean log-likelihood of the final model per unit weight. */
  public double meanLogLikelihood() {
    return logLikelihood / weightSum;
  }
}
