package org.sparkgmm.em;

import java.util.List;
import org.sparkgmm.model.Mixture;

/**
 * The outcome of an EM run.
 *
 * @param model the final model (after the last M-step)
 * @param iterations number of E+M steps done ({@code n_iter})
 * @param converged whether the change in mean log-likelihood fell below {@code tol}
 * @param history mean log-likelihood per unit weight at each iteration's E-step (the model before
 *     that iteration's M-step), as scikit-learn's lower bound; with fixed labels, the
 *     semi-supervised objective
 * @param logLikelihood total weighted log-likelihood of the final model's mixture density on the data
 * @param weightSum total row weight (the row count for unit weights)
 * @param rows number of rows
 * @param reseeds collapsed components re-seeded on the way, in order
 * @param pruned small-EM stopped this start after its short run (not among the best): it is not
 *     a candidate for the fit's result while another start went on
 */
public record FitResult(
    Mixture model,
    int iterations,
    boolean converged,
    List<Double> history,
    double logLikelihood,
    double weightSum,
    long rows,
    List<Reseed> reseeds,
    boolean pruned) {

  public FitResult {
    history = List.copyOf(history);
    reseeds = List.copyOf(reseeds);
  }

  /** A result that small-EM did not stop. */
  public FitResult(Mixture model, int iterations, boolean converged, List<Double> history, double logLikelihood,
      double weightSum, long rows, List<Reseed> reseeds) {
    this(model, iterations, converged, history, logLikelihood, weightSum, rows, reseeds, false);
  }

  /** Mean log-likelihood of the final model per unit weight. */
  public double meanLogLikelihood() {
    return logLikelihood / weightSum;
  }
}
