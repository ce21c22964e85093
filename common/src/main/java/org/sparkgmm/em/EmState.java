package org.sparkgmm.em;

import java.io.Serializable;
import java.util.List;
import org.sparkgmm.model.Mixture;

/**
 * Everything batch EM needs to go on after {@code iteration} as if it had never stopped: each
 * start's current model, its log-likelihood history, its re-seeds, and where it stands. EM draws
 * no random numbers after the starts are built, so this is the whole state.
 *
 * @param iteration the last finished iteration
 * @param starts one per start, in order
 */
public record EmState(int iteration, List<Start> starts) implements Serializable {
  private static final long serialVersionUID = 1L;

  public EmState {
    starts = List.copyOf(starts);
  }

  /**
   * One start after the iteration.
   *
   * @param model the parameters after that iteration's M-step
   * @param history mean log-likelihood of each iteration it ran
   * @param reseeds collapsed components it re-seeded
   * @param iterations iterations it ran (less than the state's when it stopped early)
   * @param converged whether it met the tolerance
   * @param stopped whether it stopped (converged)
   * @param previous the mean log-likelihood the next change is measured from (NaN after a re-seed)
   * @param pruned whether small-EM stopped it
   */
  public record Start(Mixture model, List<Double> history, List<Reseed> reseeds, int iterations, boolean converged,
      boolean stopped, double previous, boolean pruned) implements Serializable {
    private static final long serialVersionUID = 2L;

    public Start {
      history = List.copyOf(history);
      reseeds = List.copyOf(reseeds);
    }

    /** A start small-EM did not stop. */
    public Start(Mixture model, List<Double> history, List<Reseed> reseeds, int iterations, boolean converged,
        boolean stopped, double previous) {
      this(model, history, reseeds, iterations, converged, stopped, previous, false);
    }
  }

  /** Where {@link ExpectationMaximization} keeps its state between iterations, to resume after the driver died. */
  public interface Checkpoints {
    /** The state to go on from, or null to start from the given starts. */
    EmState resume();

    /** Called after every iteration; keeps {@code state} when it wants to (every n iterations). */
    void save(EmState state);
  }

  /** No checkpoints. */
  public static final Checkpoints NONE = new Checkpoints() {
    @Override
    public EmState resume() {
      return null;
    }

    @Override
    public void save(EmState state) {}
  };
}
