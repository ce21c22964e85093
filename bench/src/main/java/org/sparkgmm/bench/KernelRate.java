package org.sparkgmm.bench;

import java.util.Locale;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.MixtureSampler;

/**
 * The EM kernel alone, one thread, no Spark: seconds per million rows for one statistics pass over
 * cached blocks. Arguments: {@code d k covariance [rows] [blockRows]}. For finding where time goes;
 * the comparison with other libraries is {@link SpeedBenchmark}'s job.
 */
public final class KernelRate {
  private KernelRate() {}

  public static void main(String[] args) {
    int d = Integer.parseInt(args[0]);
    int k = Integer.parseInt(args[1]);
    CovarianceType type = CovarianceType.fromName(args[2]);
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
    int blockRows = args.length > 4 ? Integer.parseInt(args[4]) : 4096;
    Mixture model = KnownMixture.model(k, d, type, 0.1, 42);
    MixtureSampler sampler = MixtureSampler.of(model);
    int blocks = (n + blockRows - 1) / blockRows;
    RowBlock[] data = new RowBlock[blocks];
    double[] x = new double[d];
    long index = 0;
    for (int b = 0; b < blocks; b++) {
      int m = Math.min(blockRows, n - b * blockRows);
      double[] v = new double[m * d];
      for (int i = 0; i < m; i++) {
        sampler.draw(7, index++, x);
        for (int j = 0; j < d; j++) {
          v[j * m + i] = x[j];
        }
      }
      data[b] = RowBlock.of(m, d, v, null);
    }
    Shared<Mixture> shared = () -> model;
    double flops = 4.0 * n * k * d * (type == CovarianceType.FULL || type == CovarianceType.TIED ? d : 1);
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      EmAccumulator acc = EmAccumulator.forStatistics(shared);
      for (RowBlock b : data) {
        acc.add(b);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "%s d=%d k=%d %s: %.4f s per pass of %d rows = %.3f s per 1M rows,"
          + " %.1f GFLOP/s (ll %.6f)%n", Blas.describe(), d, k, type.externalName(), s, n, s * 1e6 / n,
          flops / s / 1e9, acc.meanLogLikelihood());
    }
    // The parts: log-densities alone, then the statistics alone (with the densities as stand-in weights).
    double[] lp = new double[blockRows * k];
    double[] scratch = new double[model.asGaussian().orElseThrow().scratchSize(blockRows)];
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (RowBlock b : data) {
        model.asGaussian().orElseThrow().logDensities(b, lp, scratch);
      }
      double e = (System.nanoTime() - t0) / 1e9;
      java.util.Arrays.fill(lp, 1.0 / k);
      org.sparkgmm.stats.GaussianStatistics st = org.sparkgmm.stats.GaussianStatistics.empty(type, model.means());
      t0 = System.nanoTime();
      for (RowBlock b : data) {
        st.add(b, lp);
      }
      double m = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "  log-densities %.3f s, statistics %.3f s per 1M rows%n", e * 1e6 / n, m * 1e6 / n);
    }
  }
}
