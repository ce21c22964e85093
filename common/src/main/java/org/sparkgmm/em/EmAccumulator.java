package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;
import org.sparkgmm.linalg.LogSumExp;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.model.Mixture;

/**
 * The E-step over blocks, accumulated: log-likelihood, weight and row totals, and (for a
 * {@link #forStatistics statistics pass}) the sufficient statistics for the next M-step plus the
 * k rows the model explains worst (where a collapsed component is re-seeded).
 *
 * <p>Per block: {@code L[i,c] = log w_c + log p_c(x_i)}, {@code lse_i = log sum_c exp L[i,c]},
 * responsibilities {@code r_ic = exp(L[i,c] - lse_i)}; the log-likelihood is {@code sum_i w_i lse_i}.
 * In a statistics pass a row with a fixed component {@code y} ({@link RowBlock#label}) has
 * {@code r_iy = 1} and contributes {@code w_i L[i,y]}: the semi-supervised objective EM maximises.
 * A likelihood pass ignores labels and scores the mixture density itself.
 */
public final class EmAccumulator implements BlockAccumulator<EmAccumulator> {
  private static final long serialVersionUID = 2L;

  private final Shared<Mixture> source;
  private final boolean collectStatistics;
  private final boolean useLabels;
  private MixtureStatistics statistics;
  private WorstRows worst;
  private double logLikelihood;
  private double weightSum;
  private long rows;

  private transient Mixture model;
  private transient double[] logProb;
  private transient double[] scratch;
  private transient double[] rowMax;
  private transient double[] rowSum;

  private EmAccumulator(Shared<Mixture> source, boolean collectStatistics, boolean useLabels) {
    this.source = source;
    this.collectStatistics = collectStatistics;
    this.useLabels = useLabels;
  }

  /**
   * An accumulator that collects the log-likelihood and the statistics for an M-step, rows with a
   * fixed component held to it (the EM step).
   */
  public static EmAccumulator forStatistics(Shared<Mixture> source) {
    return new EmAccumulator(source, true, true);
  }

  /**
   * Like {@link #forStatistics} but every row free, whatever its label: for helper models (data
   * moments, nearest-centre partitions) whose components are not the labels' components.
   */
  public static EmAccumulator forStatisticsIgnoringLabels(Shared<Mixture> source) {
    return new EmAccumulator(source, true, false);
  }

  /** An accumulator that collects only the log-likelihood of the mixture (no statistics, labels ignored). */
  public static EmAccumulator forLikelihood(Shared<Mixture> source) {
    return new EmAccumulator(source, false, false);
  }

  /** Runs the E-step on one block and accumulates it. Returns this. */
  @Override
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
      scratch = new double[model.scratchSize(n)];
      rowMax = new double[n];
      rowSum = new double[n];
    }
    model.logDensities(block, logProb, scratch);
    double[] logWeights = model.logWeights();
    boolean labels = useLabels && block.labelled();
    logLikelihood += responsibilities(logProb, logWeights, n, rowMax, rowSum, block, labels);
    weightSum += block.totalWeight();
    rows += n;
    if (collectStatistics) {
      if (statistics == null) {
        statistics = model.emptyStatistics();
        worst = new WorstRows(k);
      }
      double bar = worst.bar();
      for (int i = 0; i < n; i++) {
        // rowMax now holds log p(x_i) of the mixture (see responsibilities).
        if (rowMax[i] <= bar && block.weight(i) > 0.0) {
          worst.offer(new WorstRows.Row(rowMax[i], block.row(i)));
          bar = worst.bar();
        }
      }
      statistics.add(block, logProb);
    }
    return this;
  }

  /**
   * Turns {@code lp[c*n+i] = log p_c(x_i)} into responsibilities in place, leaves
   * {@code max[i] = log p(x_i)} (the mixture's log density) and returns the objective
   * {@code sum_i w_i log p(x_i)}, or for rows with a fixed component y (when {@code useLabels})
   * {@code w_i (log w_y + log p_y(x_i))}.
   */
  static double responsibilities(double[] lp, double[] logWeights, int n, double[] max, double[] sum,
      RowBlock block, boolean useLabels) {
    int k = logWeights.length;
    LogSumExp lse = LogSumExp.get();
    lse.addWeightsAndMax(lp, logWeights, n, max);
    double ll = 0.0;
    if (useLabels) {
      // Fixed rows count their own component's joint density; read it before lp is overwritten.
      for (int i = 0; i < n; i++) {
        int y = block.label(i);
        if (y >= 0) {
          ll += block.weight(i) * lp[y * n + i];
        }
      }
    }
    lse.normalise(lp, n, k, max, sum);
    for (int i = 0; i < n; i++) {
      if (!useLabels || block.label(i) < 0) {
        ll += block.weight(i) * max[i];
      }
    }
    if (useLabels) {
      for (int i = 0; i < n; i++) {
        int y = block.label(i);
        if (y >= 0) {
          for (int c = 0; c < k; c++) {
            lp[c * n + i] = c == y ? 1.0 : 0.0;
          }
        }
      }
    }
    return ll;
  }

  /** Adds {@code other} into this and returns this (either may be empty). */
  @Override
  public EmAccumulator merge(EmAccumulator other) {
    logLikelihood += other.logLikelihood;
    weightSum += other.weightSum;
    rows += other.rows;
    if (other.statistics != null) {
      statistics = statistics == null ? other.statistics : statistics.merge(other.statistics);
      if (worst == null) {
        worst = other.worst;
      } else {
        worst.merge(other.worst);
      }
    }
    return this;
  }

  /** {@code sum_i w_i log p(x_i)} over everything added (the semi-supervised objective with labels). */
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
  public MixtureStatistics statistics() {
    if (statistics == null) {
      throw new IllegalStateException(collectStatistics
          ? "No rows were added: there are no statistics"
          : "A likelihood-only accumulator collects no statistics");
    }
    return statistics;
  }

  /**
   * Up to k distinct rows with the lowest mixture log-likelihood, lowest first (statistics passes
   * only; empty otherwise).
   */
  public List<double[]> worstExplainedRows() {
    List<double[]> out = new ArrayList<>();
    if (worst != null) {
      for (WorstRows.Row r : worst.rows()) {
        out.add(r.values().clone());
      }
    }
    return out;
  }

  /** The mixture log-likelihoods of {@link #worstExplainedRows}, in the same order. */
  public double[] worstExplainedLogLikelihoods() {
    return worst == null ? new double[0] : worst.rows().stream().mapToDouble(WorstRows.Row::logLikelihood).toArray();
  }
}
