package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.model.GaussianMixtureModel;

/**
 * The EM loop, independent of where the data live: a {@link Pass} runs the E-step over all the
 * data (locally, or as one Spark job) and returns the merged accumulator; the M-step runs here.
 *
 * <p>Convergence follows scikit-learn: stop after the iteration whose mean log-likelihood changed
 * by less than {@code tol} from the previous one. A final likelihood-only pass scores the returned
 * model.
 */
public final class ExpectationMaximization {
  private ExpectationMaximization() {}

  /** One pass over all the data with a given model. */
  @FunctionalInterface
  public interface Pass {
    /**
     * @param model the model to evaluate
     * @param statistics {@link EmAccumulator#forStatistics} or {@link EmAccumulator#forLikelihood}
     *     applied to the model's source, as the caller decides
     */
    EmAccumulator run(GaussianMixtureModel model, Kind statistics);
  }

  /** What a pass must gather. */
  public enum Kind {
    /** Log-likelihood and sufficient statistics. */
    STATISTICS,
    /** Log-likelihood only. */
    LIKELIHOOD
  }

  /** Told about each finished iteration. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param iteration 1-based
     * @param meanLogLikelihood mean log-likelihood of the model evaluated in this iteration
     * @param change difference from the previous iteration (NaN at the first)
     * @param seconds wall time of the iteration
     */
    void iteration(int iteration, double meanLogLikelihood, double change, double seconds);
  }

  /**
   * Runs EM from {@code initial}.
   *
   * @throws IllegalStateException from the M-step (collapsed component, covariance not positive
   *     definite) or when the data have zero total weight
   */
  public static FitResult fit(GaussianMixtureModel initial, EmOptions options, Pass pass, Listener listener) {
    GaussianMixtureModel model = initial;
    List<Double> history = new ArrayList<>();
    boolean converged = false;
    int iteration = 0;
    double previous = Double.NaN;
    while (iteration < options.maxIter()) {
      long start = System.nanoTime();
      iteration++;
      EmAccumulator acc = pass.run(model, Kind.STATISTICS);
      if (!(acc.weightSum() > 0.0)) {
        throw new IllegalStateException("The data have zero total weight: nothing to fit");
      }
      double mean = acc.meanLogLikelihood();
      history.add(mean);
      model = MStep.update(model, acc.statistics(), options.regCovar());
      double change = mean - previous;
      listener.iteration(iteration, mean, change, (System.nanoTime() - start) / 1e9);
      if (Math.abs(change) < options.tol()) {
        converged = true;
        break;
      }
      previous = mean;
    }
    EmAccumulator last = pass.run(model, Kind.LIKELIHOOD);
    return new FitResult(model, iteration, converged, history, last.logLikelihood(), last.weightSum(), last.rows());
  }
}
