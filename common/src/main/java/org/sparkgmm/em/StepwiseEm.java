package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.model.Mixture;

/**
 * Stepwise (online) EM in the space of sufficient statistics (Cappé and Moulines, 2009; Liang and
 * Klein, 2009): each step runs the E-step on one batch only (the data's batches, {@link
 * DataPass#batches}, rows assigned by a hash of their values), blends the batch's statistics per
 * unit weight into the running ones, {@code s_t = (1 - gamma_t) s_{t-1} + gamma_t s_hat_t} with
 * {@code gamma_t = (t + t0)^-kappa}, and runs the M-step on {@code s_t} in full-data units (times
 * the running estimate of the total weight, so reg_covar, the Categorical pseudocount and the
 * collapse rule mean what they mean in batch EM). Older statistics are re-centred on the current
 * parameters before the blend ({@link MixtureStatistics#recentred}); blending parameters instead,
 * as pomegranate's inertia does, is wrong for covariances. The first step takes its batch's
 * statistics as they are.
 *
 * <p>Batches are visited in a fresh random order each epoch (one visit of every batch). The fit
 * stops after the epoch whose weighted mean of the batches' log-likelihoods changed by less than
 * {@code tol}, or after {@code epochs}; then {@code finalIterations} iterations of batch EM may
 * polish the result. With one batch and {@code kappa = 0} every step is exactly a batch EM
 * iteration.
 */
public final class StepwiseEm {
  /** Default offset of the step size: the first steps blend in about half of the new batch. */
  public static final double DEFAULT_T0 = 2.0;
  /** Default decay of the step size (Liang and Klein find 0.5-0.7 best; above 0.5 it converges). */
  public static final double DEFAULT_KAPPA = 0.6;

  private StepwiseEm() {}

  /**
   * @param t0 step size offset, >= 0
   * @param kappa step size decay, in [0, 1] (0: every step replaces the statistics)
   * @param epochs at most this many visits of every batch
   * @param seed the batch order of each epoch
   * @param finalIterations batch EM iterations afterwards (0 for none)
   */
  public record Options(double t0, double kappa, int epochs, long seed, int finalIterations) {
    /** @throws IllegalArgumentException naming the value and the valid range */
    public Options {
      if (!(t0 >= 0.0) || Double.isInfinite(t0)) {
        throw new IllegalArgumentException("t0 must be finite and >= 0, got " + t0);
      }
      if (!(kappa >= 0.0 && kappa <= 1.0)) {
        throw new IllegalArgumentException("kappa must be in [0, 1], got " + kappa);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
      if (finalIterations < 0) {
        throw new IllegalArgumentException("final iterations must be >= 0, got " + finalIterations);
      }
    }

    /** The step size of step t (1-based). */
    public double gamma(int t) {
      return kappa == 0.0 ? 1.0 : Math.pow(t + t0, -kappa);
    }
  }

  /** Told about every step. */
  public interface Listener {
    /**
     * @param step 1-based step
     * @param epoch 1-based epoch
     * @param batch the batch this step visited
     * @param rows the batch's rows
     * @param gamma the step size
     * @param batchMeanLogLikelihood mean log-likelihood of the batch under the model before the step
     * @param seconds wall time of the step
     */
    void step(int step, int epoch, int batch, long rows, double gamma, double batchMeanLogLikelihood, double seconds);
  }

  /**
   * What a stepwise fit did.
   *
   * @param fit the model and its final log-likelihood over all the data (history: each epoch's
   *     weighted mean of its batches' log-likelihoods, then the final batch iterations')
   * @param steps stepwise steps run
   * @param epochs epochs run
   * @param rowsVisited rows read by E-steps and the final scoring pass together
   */
  public record Result(FitResult fit, int steps, int epochs, long rowsVisited) {}

  /**
   * Fits from {@code start}.
   *
   * @param em tolerance (per epoch), reg_covar, parameters to update, frozen components, pseudocount;
   *     its max-iter bounds the final batch iterations
   */
  public static Result fit(Mixture start, EmOptions em, Options o, DataPass pass, Listener listener,
      ExpectationMaximization.Listener batchListener) {
    int batches = pass.batches();
    Mixture model = start;
    MixtureStatistics running = null;
    double weightSeen = 0.0;
    int step = 0;
    long visited = 0;
    boolean converged = false;
    double previous = Double.NaN;
    List<Double> history = new ArrayList<>();
    List<Reseed> reseeds = new ArrayList<>();
    int epoch = 0;
    while (epoch < o.epochs() && !converged) {
      epoch++;
      double epochLl = 0.0;
      double epochWeight = 0.0;
      for (int b : order(batches, o.seed(), epoch)) {
        step++;
        long begin = System.nanoTime();
        EmAccumulator acc = pass.runBatch("stepwise EM step " + step + " (epoch " + epoch + ", batch " + b + ")", b,
            EmAccumulator.forStatistics(pass.share(model)));
        if (!(acc.weightSum() > 0.0)) {
          continue; // an empty batch teaches nothing
        }
        visited += acc.rows();
        weightSeen += acc.weightSum();
        double totalWeight = weightSeen / step * batches;
        double gamma = running == null ? 1.0 : o.gamma(step);
        MixtureStatistics batch = acc.statistics().scaled(1.0 / acc.weightSum());
        running = running == null || gamma == 1.0 ? batch
            : running.recentred(model).scaled(1.0 - gamma).merge(batch.scaled(gamma));
        MStep.Result next = MStep.update(model, running.scaled(totalWeight), new MStep.Options(em.regularisation(),
            em.update(), ExpectationMaximization.COLLAPSE_FRACTION * acc.weightSum() / acc.rows(),
            acc.worstExplainedRows(), em.frozenFlags(model.components()), em.pseudocount()));
        double[] worst = acc.worstExplainedLogLikelihoods();
        for (int j = 0; j < next.reseeded().size(); j++) {
          int c = next.reseeded().get(j);
          reseeds.add(new Reseed(step, c, acc.statistics().mass(c) / acc.weightSum(), worst[j]));
        }
        if (!next.reseeded().isEmpty()) {
          running = null; // statistics of the collapsed model no longer describe the new one
        }
        model = next.model();
        epochLl += acc.logLikelihood();
        epochWeight += acc.weightSum();
        listener.step(step, epoch, b, acc.rows(), gamma, acc.meanLogLikelihood(), (System.nanoTime() - begin) / 1e9);
      }
      double mean = epochLl / epochWeight;
      history.add(mean);
      converged = Math.abs(mean - previous) < em.tol();
      previous = mean;
    }
    FitResult fit;
    if (o.finalIterations() > 0) {
      FitResult polish = ExpectationMaximization.fit(model, new EmOptions(o.finalIterations(), em.tol(), em.regCovar(),
          em.update(), em.frozen(), em.pseudocount(), em.regScale()), pass, batchListener);
      history.addAll(polish.history());
      reseeds.addAll(polish.reseeds());
      visited += (polish.iterations() + 1) * polish.rows();
      fit = new FitResult(polish.model(), epoch + polish.iterations(), converged || polish.converged(), history,
          polish.logLikelihood(), polish.weightSum(), polish.rows(), reseeds);
    } else {
      EmAccumulator last = pass.run("stepwise EM final log-likelihood",
          EmAccumulator.forLikelihood(pass.share(model)));
      visited += last.rows();
      fit = new FitResult(model, epoch, converged, history, last.logLikelihood(), last.weightSum(), last.rows(),
          reseeds);
    }
    return new Result(fit, step, epoch, visited);
  }

  /** The batches in the order epoch {@code epoch} visits them: a permutation fixed by the seed and the epoch. */
  static int[] order(int batches, long seed, int epoch) {
    int[] order = new int[batches];
    for (int b = 0; b < batches; b++) {
      order[b] = b;
    }
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = batches - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
