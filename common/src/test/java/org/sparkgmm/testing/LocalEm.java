package org.sparkgmm.testing;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.model.Mixture;

/** EM over in-memory blocks, the same loop the Spark driver runs, without Spark. */
public final class LocalEm {
  private LocalEm() {}

  /** One statistics pass over {@code blocks} with {@code model}. */
  public static EmAccumulator statistics(List<RowBlock> blocks, Mixture model) {
    return LocalPass.of(blocks).run("statistics", EmAccumulator.forStatistics(() -> model));
  }

  /** Fits from {@code initial}. */
  public static FitResult fit(List<RowBlock> blocks, Mixture initial, EmOptions options) {
    return ExpectationMaximization.fit(initial, options, LocalPass.of(blocks), (s, i, ll, ch, t) -> { });
  }

  /** Splits a block into row blocks of at most {@code rows} rows. */
  public static List<RowBlock> split(RowBlock block, int rows) {
    List<RowBlock> out = new ArrayList<>();
    for (int start = 0; start < block.rows(); start += rows) {
      out.add(block.slice(start, Math.min(rows, block.rows() - start)));
    }
    return out;
  }
}
