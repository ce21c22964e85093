package org.sparkgmm.config;

import org.sparkgmm.em.StepwiseEm;
import org.sparkgmm.errors.UsageException;

/**
 * Stepwise EM's settings ({@code --batch-size} and its companions).
 *
 * @param batchSize rows per batch (at least 1), or the fraction of the rows (below 1)
 * @param t0 step size offset
 * @param kappa step size decay
 * @param epochs at most this many visits of every batch
 * @param finalIterations batch EM iterations afterwards
 */
public record OnlineSettings(double batchSize, double t0, double kappa, int epochs, int finalIterations) {
  /** @throws UsageException naming the flag and the value */
  public OnlineSettings {
    require(batchSize > 0 && Double.isFinite(batchSize) && (batchSize < 1 || batchSize == Math.rint(batchSize)),
        "--batch-size takes a number of rows (an integer >= 1) or a fraction of the rows (0 < f < 1), got " + batchSize);
    require(t0 >= 0 && Double.isFinite(t0), "--t0 must be finite and >= 0, got " + t0);
    require(kappa >= 0 && kappa <= 1, "--kappa must be in [0, 1] (0.5 < kappa <= 1 converges), got " + kappa);
    require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
    require(finalIterations >= 0, "--final-batch-iter must be >= 0, got " + finalIterations);
  }

  /** How many batches {@code rows} rows make (at least 1). */
  public int batches(long rows) {
    long b = batchSize < 1 ? Math.round(1.0 / batchSize) : (long) Math.ceil(rows / batchSize);
    return (int) Math.max(1, Math.min(b, 100_000));
  }

  /** The engine's options, batch order from {@code seed}. */
  public StepwiseEm.Options options(long seed) {
    return new StepwiseEm.Options(t0, kappa, epochs, seed, finalIterations);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UsageException(message);
    }
  }
}
