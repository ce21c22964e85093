package org.sparkgmm.em;

import java.util.List;
import java.util.function.Consumer;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.Support;
import org.sparkgmm.data.InMemoryPass;
import org.sparkgmm.init.InitMode;
import org.sparkgmm.init.DataMoments;
import org.sparkgmm.init.Starts;
import org.sparkgmm.model.Mixture;

/**
 * Fits on in-memory arrays, without Spark: the same starts ({@link Starts}) and EM loop
 * ({@link ExpectationMaximization}) the Spark job runs, over an {@link InMemoryPass}. The
 * counterparts of pomegranate's {@code GeneralMixtureModel.from_samples} ({@link #fromSamples}) and
 * of fitting a given mixture ({@link #refine}).
 */
public final class MixtureFit {
  /** Rows per block of the in-memory pass. */
  static final int BLOCK_ROWS = 4096;

  private MixtureFit() {}

  /**
   * How to start and run EM.
   *
   * @param k components
   * @param init seeding method
   * @param nInit starts (seeds {@code seed .. seed+nInit-1}); the best final log-likelihood wins
   * @param initIter Lloyd passes after the seeding
   * @param missing NaN values are missing (marginalised in EM) rather than refused
   */
  public record Settings(int k, InitMode init, int nInit, long seed, int initIter, EmOptions em, boolean missing) {
    /** Checks the values. */
    public Settings {
      if (k < 1 || nInit < 1 || initIter < 0) {
        throw new IllegalArgumentException("k and nInit must be >= 1 and initIter >= 0, got " + k + ", " + nInit
            + ", " + initIter);
      }
    }

    /** Settings that refuse NaN values. */
    public Settings(int k, InitMode init, int nInit, long seed, int initIter, EmOptions em) {
      this(k, init, nInit, seed, initIter, em, false);
    }

    /** The same settings with NaN values missing ({@code true}) or refused. */
    public Settings withMissing(boolean missing) {
      return new Settings(k, init, nInit, seed, initIter, em, missing);
    }

    /**
     * The job's defaults for k components of a general structure: k-means||, one start, seed 0, 5
     * Lloyd passes, {@link EmOptions#GENERAL_DEFAULTS}.
     */
    public static Settings defaults(int k) {
      return new Settings(k, InitMode.KMEANS_PARALLEL, 1, 0L, 5, EmOptions.GENERAL_DEFAULTS);
    }
  }

  /**
   * Learns a mixture of {@code spec}-structured components from rows.
   *
   * @param rows row-major values in the spec's feature order
   * @param weights per-row weights, or {@code null}
   * @throws IllegalArgumentException naming the row, feature and value of the first row a family
   *     cannot take, or when the data cannot support k components
   */
  public static FitResult fromSamples(ComponentSpec spec, double[][] rows, double[] weights, Settings s,
      ExpectationMaximization.Listener listener) {
    InMemoryPass pass = check(spec.features(), rows, weights, spec::outsideSupport, s.missing());
    long[] seeds = new long[s.nInit()];
    for (int r = 0; r < seeds.length; r++) {
      seeds[r] = s.seed() + r;
    }
    Consumer<String> quiet = m -> { };
    // reg_covar relative to each feature's variance, as the job's default: the fit does not depend on the units.
    DataMoments moments = DataMoments.measure(pass, spec.features());
    EmOptions em = s.em().regScale() != null ? s.em() : s.em().withRegScale(moments.variances());
    List<Mixture> starts = Starts.of(pass, List.of(spec), new Starts.Options(s.init(), s.k(), seeds, s.initIter(),
        false, em.regularisation(), em.pseudocount(), moments), pass.rows(), null, quiet).get(0);
    List<FitResult> results = ExpectationMaximization.fitAll(starts, em, pass, listener);
    return results.get(ExpectationMaximization.best(results));
  }

  /**
   * Runs EM from a given mixture (its structure is kept; frozen components and held parameters
   * follow {@code options}).
   *
   * @throws IllegalArgumentException as {@link #fromSamples}
   */
  public static FitResult refine(Mixture start, double[][] rows, double[] weights, EmOptions options,
      ExpectationMaximization.Listener listener) {
    return refine(start, rows, weights, options, false, listener);
  }

  /**
   * {@link #refine(Mixture, double[][], double[], EmOptions, ExpectationMaximization.Listener)}, with
   * NaN values missing when {@code missing}.
   */
  public static FitResult refine(Mixture start, double[][] rows, double[] weights, EmOptions options,
      boolean missing, ExpectationMaximization.Listener listener) {
    InMemoryPass pass = check(start.features(), rows, weights, start::outsideSupport, missing);
    return ExpectationMaximization.fit(start, options, pass, listener);
  }

  /**
   * Updates a model with new rows: EM from {@code old} on the rows, its M-steps also counting the
   * old model's evidence, {@code decay * oldRows} rows that match it exactly
   * ({@link Mixture#expectedStatistics}). Decay 0 is a fit of the new rows started from the old
   * model; decay 1 keeps all the old evidence.
   *
   * @param oldRows the effective rows behind {@code old} (its model file's {@code effective_rows})
   * @param decay in [0, 1]
   * @throws IllegalArgumentException as {@link #fromSamples}, or for a decay outside [0, 1] or a
   *     non-positive {@code oldRows}
   */
  public static FitResult update(Mixture old, double oldRows, double decay, double[][] rows, double[] weights,
      EmOptions options, boolean missing, ExpectationMaximization.Listener listener) {
    if (!(decay >= 0.0 && decay <= 1.0)) {
      throw new IllegalArgumentException("decay must be in [0, 1], got " + decay);
    }
    if (!(oldRows > 0.0) || Double.isInfinite(oldRows)) {
      throw new IllegalArgumentException("the old model's effective rows must be finite and > 0, got " + oldRows);
    }
    InMemoryPass pass = check(old.features(), rows, weights, old::outsideSupport, missing);
    return decay == 0.0 ? ExpectationMaximization.fit(old, options, pass, listener)
        : ExpectationMaximization.fitWithPrior(old, options, pass, listener,
            old.expectedStatistics(decay * oldRows, options.regularisation()));
  }

  /** A listener that ignores everything. */
  public static ExpectationMaximization.Listener silent() {
    return (start, iteration, mean, change, seconds) -> { };
  }

  private static InMemoryPass check(List<String> features, double[][] rows, double[] weights, Support support,
      boolean missing) {
    support.checkRows(rows, features, missing);
    return InMemoryPass.ofRows(rows, weights, BLOCK_ROWS);
  }
}
