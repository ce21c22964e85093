package org.sparkgmm.testing;

import java.util.List;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.model.GaussianMixtureModel;

/** EM over in-memory blocks, the same loop the Spark driver runs, without Spark. */
public final class LocalEm {
  private LocalEm() {}

  /** One pass over {@code blocks} with {@code model}. */
  public static EmAccumulator pass(List<RowBlock> blocks, GaussianMixtureModel model,
      ExpectationMaximization.Kind kind) {
    EmAccumulator.ModelSource source = () -> model;
    EmAccumulator acc = kind == ExpectationMaximization.Kind.STATISTICS
        ? EmAccumulator.forStatistics(source)
        : EmAccumulator.forLikelihood(source);
    for (RowBlock b : blocks) {
      acc.add(b);
    }
    return acc;
  }

  /** Fits from {@code initial}. */
  public static FitResult fit(List<RowBlock> blocks, GaussianMixtureModel initial, EmOptions options) {
    return ExpectationMaximization.fit(initial, options, (m, kind) -> pass(blocks, m, kind), (i, ll, ch, s) -> { });
  }

  /** Splits a block into row blocks of at most {@code rows} rows. */
  public static List<RowBlock> split(RowBlock block, int rows) {
    java.util.ArrayList<RowBlock> out = new java.util.ArrayList<>();
    for (int start = 0; start < block.rows(); start += rows) {
      int n = Math.min(rows, block.rows() - start);
      double[] v = new double[n * block.features()];
      double[] w = block.unitWeights() ? null : new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < block.features(); j++) {
          v[j * n + i] = block.value(start + i, j);
        }
        if (w != null) {
          w[i] = block.weight(start + i);
        }
      }
      out.add(RowBlock.of(n, block.features(), v, w));
    }
    return out;
  }
}
