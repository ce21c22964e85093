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
    List<RowBlock> out = new ArrayList<>();
    for (int start = 0; start < rows.length; start += blockRows) {
      int end = Math.min(rows.length, start + blockRows);
      double[][] part = java.util.Arrays.copyOfRange(rows, start, end);
      double[] w = weights == null ? null : java.util.Arrays.copyOfRange(weights, start, end);
      out.add(RowBlock.fromRows(part, w));
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
