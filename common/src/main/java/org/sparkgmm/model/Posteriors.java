package org.sparkgmm.model;

import org.sparkgmm.data.RowBlock;

/**
 * A model applied to blocks of rows: per row the mixture's log density {@code log p(x_i)}, the log
 * posteriors {@code log P(c | x_i)} and the most probable component. One instance serves many
 * blocks (its buffers grow to the largest block); it is not thread-safe.
 *
 * <p>With {@code L[i,c] = log w_c + log p_c(x_i)}: {@code log p(x_i) = log sum_c exp L[i,c]}
 * (computed as {@code m_i + log sum_c exp(L[i,c] - m_i)}, {@code m_i = max_c L[i,c]}) and
 * {@code log P(c | x_i) = L[i,c] - log p(x_i)}, the quantities scikit-learn's
 * {@code score_samples} and {@code predict_proba} return. The prediction is the first
 * {@code argmax_c L[i,c]}.
 */
public final class Posteriors {
  private final Mixture model;
  private final double[] logWeights;
  private double[] logPosterior = new double[0];
  private double[] logLikelihood = new double[0];
  private int[] prediction = new int[0];
  private double[] scratch = new double[0];
  private int rows;

  private Posteriors(Mixture model) {
    this.model = model;
    this.logWeights = model.logWeights();
  }

  /** An evaluator for {@code model}. */
  public static Posteriors of(Mixture model) {
    return new Posteriors(model);
  }

  /**
   * Evaluates every row of {@code block}; the accessors then describe its rows.
   *
   * @throws IllegalArgumentException if the block's feature count is not the model's
   */
  public void evaluate(RowBlock block) {
    int n = block.rows();
    int k = model.components();
    if (logPosterior.length < n * k) {
      logPosterior = new double[n * k];
      logLikelihood = new double[n];
      prediction = new int[n];
      scratch = new double[model.scratchSize(n)];
    }
    rows = n;
    if (n == 0) {
      return;
    }
    double[] lp = logPosterior;
    model.logDensities(block, lp, scratch);
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < k; c++) {
        double v = lp[c * n + i] + logWeights[c];
        lp[c * n + i] = v;
        if (v > max) {
          max = v;
          best = c;
        }
      }
      double sum = 0.0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(lp[c * n + i] - max);
      }
      double lse = max + Math.log(sum);
      for (int c = 0; c < k; c++) {
        lp[c * n + i] -= lse;
      }
      logLikelihood[i] = lse;
      prediction[i] = best;
    }
  }

  /** Rows of the last evaluated block. */
  public int rows() {
    return rows;
  }

  /** {@code log p(x_i)}, the mixture's log density at row {@code i}. */
  public double logLikelihood(int i) {
    return logLikelihood[i];
  }

  /** {@code log P(c | x_i)}. */
  public double logPosterior(int i, int c) {
    return logPosterior[c * rows + i];
  }

  /** {@code P(c | x_i)}; over c these sum to 1 within a few ulps. */
  public double posterior(int i, int c) {
    return Math.exp(logPosterior[c * rows + i]);
  }

  /** The most probable component of row {@code i} (the first, on a tie). */
  public int prediction(int i) {
    return prediction[i];
  }
}
