package org.sparkgmm.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DataPass} over blocks held in memory, on the calling thread: what {@code common}'s
 * in-memory fits use, running the same EM and start code as Spark does. Each pass adds every block
 * to the zero it is given and returns it.
 */
public final class InMemoryPass implements DataPass {
  private final List<RowBlock> blocks;

  private InMemoryPass(List<RowBlock> blocks) {
    this.blocks = blocks;
  }

  /** A pass over these blocks. */
  public static InMemoryPass of(List<RowBlock> blocks) {
    return new InMemoryPass(List.copyOf(blocks));
  }

  /**
   * A pass over row-major rows, cut into blocks of at most {@code blockRows} rows (values copied).
   * Rows with missing (NaN) values go to blocks of their own, grouped by pattern (as the Spark job
   * packs them), so that complete blocks keep the fast kernels.
   *
   * @param weights per-row weights, or {@code null} for unit weights
   * @throws IllegalArgumentException on ragged rows, a bad weight or no rows
   */
  public static InMemoryPass ofRows(double[][] rows, double[] weights, int blockRows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("There are no rows");
    }
    if (weights != null && weights.length != rows.length) {
      throw new IllegalArgumentException("Got " + weights.length + " weights for " + rows.length + " rows");
    }
    List<Integer> complete = new ArrayList<>();
    List<Integer> incomplete = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      boolean hole = false;
      for (double v : rows[i]) {
        hole |= Double.isNaN(v);
      }
      (hole ? incomplete : complete).add(i);
    }
    List<RowBlock> out = new ArrayList<>();
    for (List<Integer> kind : List.of(complete, incomplete)) {
      for (int start = 0; start < kind.size(); start += blockRows) {
        int end = Math.min(kind.size(), start + blockRows);
        double[][] part = new double[end - start][];
        double[] w = weights == null ? null : new double[end - start];
        for (int i = start; i < end; i++) {
          part[i - start] = rows[kind.get(i)];
          if (w != null) {
            w[i - start] = weights[kind.get(i)];
          }
        }
        out.add(MissingPatterns.grouped(RowBlock.fromRows(part, w)));
      }
    }
    return new InMemoryPass(out);
  }

  /** The blocks. */
  public List<RowBlock> blocks() {
    return blocks;
  }

  /** Total rows. */
  public long rows() {
    long n = 0;
    for (RowBlock b : blocks) {
      n += b.rows();
    }
    return n;
  }

  @Override
  public <A extends BlockAccumulator<A>> A run(String description, A zero) {
    A acc = zero;
    for (RowBlock b : blocks) {
      acc = acc.add(b);
    }
    return acc;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return () -> value;
  }
}
