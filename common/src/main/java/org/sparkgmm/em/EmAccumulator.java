package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.stats.GaussianStatistics;

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
  /** Below this, {@code Math.exp} returns 0.0. */
  private static final double EXP_UNDERFLOW = -745.2;

  private final Shared<GaussianMixtureModel> source;
  private final boolean collectStatistics;
  private final boolean useLabels;
  private GaussianStatistics statistics;
  private WorstRows worst;
  private double logLikelihood;
  private double weightSum;
  private long rows;

  private transient GaussianMixtureModel model;
  private transient double[] logProb;
  private transient double[] scratch;
  private transient double[] rowMax;
  private transient double[] rowSum;

  private EmAccumulator(Shared<GaussianMixtureModel> source, boolean collectStatistics, boolean useLabels) {
    this.source = source;
    this.collectStatistics = collectStatistics;
    this.useLabels = useLabels;
  }

  /**
   * An accumulator that collects the log-likelihood and the statistics for an M-step, rows with a
   * fixed component held to it (the EM step).
   */
  public static EmAccumulator forStatistics(Shared<GaussianMixtureModel> source) {
    return new EmAccumulator(source, true, true);
  }

  /**
   * Like {@link #forStatistics} but every row free, whatever its label: for helper models (data
   * moments, nearest-centre partitions) whose components are not the labels' components.
   */
  public static EmAccumulator forStatisticsIgnoringLabels(Shared<GaussianMixtureModel> source) {
    return new EmAccumulator(source, true, false);
  }

  /** An accumulator that collects only the log-likelihood of the mixture (no statistics, labels ignored). */
  public static EmAccumulator forLikelihood(Shared<GaussianMixtureModel> source) {
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
      scratch = new double[model.gaussians().scratchSize(n)];
      rowMax = new double[n];
      rowSum = new double[n];
    }
    model.gaussians().logDensities(block, logProb, scratch);
    double[] logWeights = model.logWeights();
    boolean labels = useLabels && block.labelled();
    logLikelihood += responsibilities(logProb, logWeights, n, rowMax, rowSum, block, labels);
    weightSum += block.totalWeight();
    rows += n;
    if (collectStatistics) {
      if (statistics == null) {
        statistics = GaussianStatistics.empty(model.covarianceType(), model.means());
        worst = new WorstRows(k);
      }
      for (int i = 0; i < n; i++) {
        // rowMax now holds log p(x_i) of the mixture (see responsibilities).
        if (block.weight(i) > 0.0 && worst.admits(rowMax[i])) {
          worst.offer(new WorstRows.Row(rowMax[i], block.row(i)));
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
    Arrays.fill(max, 0, n, Double.NEGATIVE_INFINITY);
    for (int c = 0; c < k; c++) {
      double lw = logWeights[c];
      int o = c * n;
      for (int i = 0; i < n; i++) {
        double v = lp[o + i] + lw;
        lp[o + i] = v;
        double m = max[i];
        max[i] = v > m ? v : m; // a select, not a branch: which component wins is unpredictable
      }
    }
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
    // lp := exp(lp - max); then normalise by the row sums.
    Arrays.fill(sum, 0, n, 0.0);
    for (int c = 0; c < k; c++) {
      int o = c * n;
      for (int i = 0; i < n; i++) {
        double t = lp[o + i] - max[i];
        // exp underflows to exactly 0 below -745.2; skipping the call there changes no result.
        double e = t < EXP_UNDERFLOW ? 0.0 : Math.exp(t);
        lp[o + i] = e;
        sum[i] += e;
      }
    }
    for (int i = 0; i < n; i++) {
      max[i] += Math.log(sum[i]);
      if (!useLabels || block.label(i) < 0) {
        ll += block.weight(i) * max[i];
      }
      sum[i] = 1.0 / sum[i];
    }
    for (int c = 0; c < k; c++) {
      int o = c * n;
      for (int i = 0; i < n; i++) {
        lp[o + i] *= sum[i];
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
  public GaussianStatistics statistics() {
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
