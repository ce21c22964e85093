package org.sparkgmm.em;

import java.io.Serializable;
import java.util.function.Supplier;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * The E-step over blocks, accumulated: log-likelihood, weight and row totals, and (for a
 * {@link #forStatistics statistics pass}) the sufficient statistics for the next M-step.
 *
 * <p>Per block: {@code L[i,c] = log w_c + log p_c(x_i)}, {@code lse_i = log sum_c exp L[i,c]},
 * responsibilities {@code r_ic = exp(L[i,c] - lse_i)}; the log-likelihood is {@code sum_i w_i lse_i}.
 * An accumulator travels to executors holding only its {@link ModelSource} (e.g. a broadcast
 * handle); the model and work arrays are fetched and allocated once per task, never per row.
 */
public final class EmAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where an accumulator finds its model once it is on an executor. */
  public interface ModelSource extends Supplier<GaussianMixtureModel>, Serializable {}

  private final ModelSource source;
  private final boolean collectStatistics;
  private GaussianStatistics statistics;
  private double logLikelihood;
  private double weightSum;
  private long rows;

  private transient GaussianMixtureModel model;
  private transient double[] logProb;
  private transient double[] scratch;
  private transient double[] rowMax;
  private transient double[] rowSum;

  private EmAccumulator(ModelSource source, boolean collectStatistics) {
    this.source = source;
    this.collectStatistics = collectStatistics;
  }

  /** An accumulator that collects the log-likelihood and the statistics for an M-step. */
  public static EmAccumulator forStatistics(ModelSource source) {
    return new EmAccumulator(source, true);
  }

  /** An accumulator that collects only the log-likelihood (cheaper: no statistics). */
  public static EmAccumulator forLikelihood(ModelSource source) {
    return new EmAccumulator(source, false);
  }

  /** Runs the E-step on one block and accumulates it. Returns this. */
  public EmAccumulator add(RowBlock block) {
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (model == null) {
      model = source.get();
    }
    int k = model.components();
    if (logProb == null || logProb.length < n * k || rowMax.length < n) {
      logProb = new double[n * k];
      scratch = new double[model.gaussians().scratchSize(n)];
      rowMax = new double[n];
      rowSum = new double[n];
    }
    model.gaussians().logDensities(block, logProb, scratch);
    double[] logWeights = model.logWeights();
    double ll = responsibilities(logProb, logWeights, n, rowMax, rowSum, block);
    logLikelihood += ll;
    weightSum += block.totalWeight();
    rows += n;
    if (collectStatistics) {
      if (statistics == null) {
        statistics = GaussianStatistics.empty(model.covarianceType(), model.means());
      }
      statistics.add(block, logProb, scratch);
    }
    return this;
  }

  /**
   * Turns {@code logDensity[c*n+i]} into responsibilities in place and returns
   * {@code sum_i w_i log p(x_i)} (log-sum-exp over components, max-shifted).
   */
  static double responsibilities(double[] lp, double[] logWeights, int n, double[] max, double[] sum,
      RowBlock block) {
    int k = logWeights.length;
    java.util.Arrays.fill(max, 0, n, Double.NEGATIVE_INFINITY);
    for (int c = 0; c < k; c++) {
      double lw = logWeights[c];
      int o = c * n;
      for (int i = 0; i < n; i++) {
        double v = lp[o + i] + lw;
        lp[o + i] = v;
        if (v > max[i]) {
          max[i] = v;
        }
      }
    }
    // lp := exp(lp - max); then normalise by the row sums.
    java.util.Arrays.fill(sum, 0, n, 0.0);
    for (int c = 0; c < k; c++) {
      int o = c * n;
      for (int i = 0; i < n; i++) {
        double e = Math.exp(lp[o + i] - max[i]);
        lp[o + i] = e;
        sum[i] += e;
      }
    }
    double ll = 0.0;
    for (int i = 0; i < n; i++) {
      ll += block.weight(i) * (max[i] + Math.log(sum[i]));
      sum[i] = 1.0 / sum[i];
    }
    for (int c = 0; c < k; c++) {
      int o = c * n;
      for (int i = 0; i < n; i++) {
        lp[o + i] *= sum[i];
      }
    }
    return ll;
  }

  /** Adds {@code other} into this and returns this (either may be empty). */
  public EmAccumulator merge(EmAccumulator other) {
    logLikelihood += other.logLikelihood;
    weightSum += other.weightSum;
    rows += other.rows;
    if (other.statistics != null) {
      statistics = statistics == null ? other.statistics : statistics.merge(other.statistics);
    }
    return this;
  }

  /** {@code sum_i w_i log p(x_i)} over everything added. */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** Sum of row weights added. */
  public double weightSum() {
    return weightSum;
  }

  /** Number of rows added. */
  public long rows() {
    return rows;
  }

  /** Mean log-likelihood per unit of weight, {@code logLikelihood / weightSum}. */
  public double meanLogLikelihood() {
    return logLikelihood / weightSum;
  }

  /**
   * The statistics gathered.
   *
   * @throws IllegalStateException for a likelihood-only accumulator, or when nothing was added
   */
  public GaussianStatistics statistics() {
    if (statistics == null) {
      throw new IllegalStateException(collectStatistics
          ? "No rows were added: there are no statistics"
          : "A likelihood-only accumulator collects no statistics");
    }
    return statistics;
  }
}
