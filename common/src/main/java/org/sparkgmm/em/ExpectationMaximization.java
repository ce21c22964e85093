package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.data.AccumulatorList;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.model.Mixture;

/**
 * The EM loop, independent of where the data live: each iteration is one {@link DataPass} that
 * runs the E-step of every still-running start over all the data; the M-steps run here.
 *
 * <p>Convergence follows scikit-learn: a start stops after the iteration whose mean log-likelihood
 * changed by less than {@code tol} from the previous one (an iteration that re-seeded a component
 * never counts as converged). A final likelihood-only pass scores every returned model.
 *
 * <p>A component is collapsed when its responsibility mass is below {@link #COLLAPSE_FRACTION} of
 * the average row weight; it is re-seeded as {@link MStep} documents and the event is reported.
 */
public final class ExpectationMaximization {
  /** Collapse threshold as a fraction of one average row's weight. */
  public static final double COLLAPSE_FRACTION = 1e-3;

  private ExpectationMaximization() {}

  /** Told about each finished iteration and re-seeding. */
  public interface Listener {
    /**
     * @param start index of the start (0 for a single fit)
     * @param iteration 1-based
     * @param meanLogLikelihood mean log-likelihood of the model evaluated in this iteration
     * @param change difference from the previous iteration (NaN at the first)
     * @param seconds wall time of the iteration's pass and M-steps
     */
    void iteration(int start, int iteration, double meanLogLikelihood, double change, double seconds);

    /** A collapsed component was re-seeded. */
    default void reseeded(int start, Reseed event) {}

    /** Every running start has reported iteration {@code iteration} ({@link #iteration}). */
    default void iterationDone(int iteration) {}

    /** A start stopped after the short runs of small-EM: it was not among the best ({@link SmallEm}). */
    default void pruned(int start, int iteration, double meanLogLikelihood) {}
  }

  /**
   * Small-EM (Biernacki, Celeux and Govaert, 2003): every start runs {@code iterations}
   * iterations, then of those still running only the {@code keep} with the highest mean
   * log-likelihood go on to convergence; the others stop there. All starts share every pass.
   *
   * @param iterations the short runs' length (0: no pruning, every start runs to convergence)
   * @param keep how many starts go on, at least 1
   * @param perGroup the starts are consecutive groups of this many (one candidate model of
   *     select each), pruned each on its own; 0: one group of all
   */
  public record SmallEm(int iterations, int keep, int perGroup) implements java.io.Serializable {
    /** Every start to convergence. */
    public static final SmallEm NONE = new SmallEm(0, Integer.MAX_VALUE, 0);

    /** Checks the values. */
    public SmallEm {
      if (iterations < 0 || keep < 1 || perGroup < 0) {
        throw new IllegalArgumentException("Small-EM needs iterations >= 0 and keep >= 1, got " + iterations + ", "
            + keep);
      }
    }
  }

  /** One start; see {@link #fitAll}. */
  public static FitResult fit(Mixture initial, EmOptions options, DataPass pass, Listener listener) {
    return fitAll(List.of(initial), options, pass, listener).get(0);
  }

  /**
   * Runs EM from every start at once: each pass evaluates all starts that have not stopped.
   *
   * @return one result per start, in order
   * @throws IllegalStateException from the M-step (covariance not positive definite, a collapse
   *     that cannot be re-seeded) or when the data have zero total weight
   */
  public static List<FitResult> fitAll(List<Mixture> starts, EmOptions options, DataPass pass,
      Listener listener) {
    return fitAll(starts, options, pass, listener, null, EmState.NONE, SmallEm.NONE);
  }

  /**
   * {@link #fitAll(List, EmOptions, DataPass, Listener)} that goes on from {@code checkpoints}'
   * state when it has one (then {@code starts} only say how many there are) and hands it the state
   * after every iteration. Resumed, it ends with the model an uninterrupted run ends with.
   *
   * @throws IllegalArgumentException if the saved state has a different number of starts
   */
  public static List<FitResult> fitAll(List<Mixture> starts, EmOptions options, DataPass pass, Listener listener,
      EmState.Checkpoints checkpoints) {
    return fitAll(starts, options, pass, listener, null, checkpoints, SmallEm.NONE);
  }

  /**
   * {@link #fitAll(List, EmOptions, DataPass, Listener, EmState.Checkpoints)} with small-EM's
   * pruning: after {@code small.iterations()} iterations only the best {@code small.keep()} starts
   * go on. A pruned start's result is its model at that iteration (not converged).
   */
  public static List<FitResult> fitAll(List<Mixture> starts, EmOptions options, DataPass pass, Listener listener,
      EmState.Checkpoints checkpoints, SmallEm small) {
    return fitAll(starts, options, pass, listener, null, checkpoints, small);
  }

  /**
   * EM from one start whose M-steps also count {@code prior}: statistics of earlier evidence (an
   * older model's {@link Mixture#expectedStatistics}, decayed), re-centred on the current parameters
   * each iteration and added to the data's. This is how {@code gmm update} weighs a model against
   * new rows; the likelihoods reported are the new data's.
   */
  public static FitResult fitWithPrior(Mixture initial, EmOptions options, DataPass pass, Listener listener,
      MixtureStatistics prior) {
    return fitAll(List.of(initial), options, pass, listener, prior, EmState.NONE, SmallEm.NONE).get(0);
  }

  private static List<FitResult> fitAll(List<Mixture> starts, EmOptions options, DataPass pass,
      Listener listener, MixtureStatistics prior, EmState.Checkpoints checkpoints, SmallEm small) {
    List<Run> runs = new ArrayList<>();
    EmState saved = checkpoints.resume();
    if (saved != null && saved.starts().size() != starts.size()) {
      throw new IllegalArgumentException("The saved EM state has " + saved.starts().size() + " starts, not "
          + starts.size());
    }
    for (int i = 0; i < starts.size(); i++) {
      runs.add(saved == null ? new Run(i, starts.get(i)) : Run.of(i, saved.starts().get(i)));
    }
    int perGroup = small.perGroup() == 0 ? runs.size() : small.perGroup();
    if (runs.size() % perGroup != 0) {
      throw new IllegalArgumentException(runs.size() + " starts do not split into groups of " + perGroup);
    }
    int first = saved == null ? 1 : saved.iteration() + 1;
    for (int iteration = first; iteration <= options.maxIter(); iteration++) {
      List<Run> active = runs.stream().filter(r -> !r.stopped).toList();
      if (active.isEmpty()) {
        break;
      }
      long start = System.nanoTime();
      List<EmAccumulator> zeros = new ArrayList<>();
      for (Run r : active) {
        zeros.add(EmAccumulator.forStatistics(pass.share(r.model)));
      }
      List<EmAccumulator> done = pass.run("EM iteration " + iteration + "/" + options.maxIter(),
          AccumulatorList.of(zeros)).items();
      double seconds = (System.nanoTime() - start) / 1e9;
      for (int i = 0; i < active.size(); i++) {
        Run r = active.get(i);
        EmAccumulator acc = done.get(i);
        if (!(acc.weightSum() > 0.0)) {
          throw new IllegalStateException("The data have zero total weight: nothing to fit");
        }
        double mean = acc.meanLogLikelihood();
        r.history.add(mean);
        r.iterations = iteration;
        double collapseBelow = COLLAPSE_FRACTION * acc.weightSum() / acc.rows();
        MixtureStatistics s = prior == null ? acc.statistics() : acc.statistics().merge(prior.recentred(r.model));
        MStep.Result next = MStep.update(r.model, s, new MStep.Options(options.regularisation(),
            options.update(), collapseBelow, acc.worstExplainedRows(), options.frozenFlags(r.model.components()),
            options.pseudocount()));
        double[] worstLl = acc.worstExplainedLogLikelihoods();
        for (int j = 0; j < next.reseeded().size(); j++) {
          int c = next.reseeded().get(j);
          Reseed event = new Reseed(iteration, c, acc.statistics().mass(c) / acc.weightSum(), worstLl[j]);
          r.reseeds.add(event);
          listener.reseeded(r.index, event);
        }
        r.model = next.model();
        double change = mean - r.previous;
        listener.iteration(r.index, iteration, mean, change, seconds);
        if (next.reseeded().isEmpty() && Math.abs(change) < options.tol()) {
          r.converged = true;
          r.stopped = true;
        }
        r.previous = next.reseeded().isEmpty() ? mean : Double.NaN;
      }
      listener.iterationDone(iteration);
      if (iteration == small.iterations() && small.keep() < perGroup) {
        for (int g = 0; g < runs.size(); g += perGroup) {
          prune(runs.subList(g, g + perGroup), small.keep(), iteration, listener);
        }
      }
      checkpoints.save(new EmState(iteration, runs.stream().map(Run::state).toList()));
    }
    List<EmAccumulator> zeros = new ArrayList<>();
    for (Run r : runs) {
      zeros.add(EmAccumulator.forLikelihood(pass.share(r.model)));
    }
    List<EmAccumulator> last = pass.run("EM final log-likelihood", AccumulatorList.of(zeros)).items();
    List<FitResult> results = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      EmAccumulator acc = last.get(i);
      results.add(new FitResult(r.model, r.iterations, r.converged, r.history, acc.logLikelihood(), acc.weightSum(),
          acc.rows(), r.reseeds, r.pruned));
    }
    return results;
  }

  /**
   * Stops every start still running but the {@code keep} of them with the highest latest mean
   * log-likelihood (the first of equals). Starts that converged already are done and keep their
   * results.
   */
  private static void prune(List<Run> runs, int keep, int iteration, Listener listener) {
    List<Run> ranked = new ArrayList<>(runs.stream().filter(r -> !r.stopped).toList());
    ranked.sort((a, b) -> Long.compare(rank(last(b)), rank(last(a)))); // stable: the first of equals stays first
    for (int i = keep; i < ranked.size(); i++) {
      Run r = ranked.get(i);
      if (!r.stopped) {
        r.stopped = true;
        r.pruned = true;
        listener.pruned(r.index, iteration, last(r));
      }
    }
  }

  private static double last(Run r) {
    double v = r.history.isEmpty() ? Double.NEGATIVE_INFINITY : r.history.get(r.history.size() - 1);
    return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }

  /**
   * The index of the result with the highest final mean log-likelihood, the first of equals: means
   * equal to 1e-9 per row count as equal, so that two starts that reached the same optimum are not
   * told apart by the summation order (the partitioning). Starts small-EM stopped are left out
   * (one that went on is always there): they stopped before converging.
   */
  public static int best(List<FitResult> results) {
    int best = -1;
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).pruned() && (best < 0 || rank(mean(results.get(i))) > rank(mean(results.get(best))))) {
        best = i;
      }
    }
    return best < 0 ? 0 : best;
  }

  private static double mean(FitResult r) {
    return r.weightSum() > 0.0 ? r.logLikelihood() / r.weightSum() : r.logLikelihood();
  }

  /** A mean log-likelihood rounded to 1e-9, for comparisons that rounding errors must not decide. */
  private static long rank(double mean) {
    return Double.isFinite(mean) ? Math.round(mean * 1e9) : Long.MIN_VALUE;
  }

  private static final class Run {
    final int index;
    Mixture model;
    final List<Double> history = new ArrayList<>();
    final List<Reseed> reseeds = new ArrayList<>();
    int iterations;
    boolean converged;
    boolean stopped;
    boolean pruned;
    double previous = Double.NaN;

    Run(int index, Mixture model) {
      this.index = index;
      this.model = model;
    }

    static Run of(int index, EmState.Start s) {
      Run r = new Run(index, s.model());
      r.history.addAll(s.history());
      r.reseeds.addAll(s.reseeds());
      r.iterations = s.iterations();
      r.converged = s.converged();
      r.stopped = s.stopped();
      r.previous = s.previous();
      r.pruned = s.pruned();
      return r;
    }

    EmState.Start state() {
      return new EmState.Start(model, history, reseeds, iterations, converged, stopped, previous, pruned);
    }
  }
}
