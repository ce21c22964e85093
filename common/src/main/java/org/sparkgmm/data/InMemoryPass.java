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
  /** The blocks of each batch (one batch: all of them). */
  private final List<List<RowBlock>> batches;

  private InMemoryPass(List<List<RowBlock>> batches) {
    this.batches = batches;
    List<RowBlock> all = new ArrayList<>();
    batches.forEach(all::addAll);
    this.blocks = List.copyOf(all);
  }

  /** A pass over these blocks. */
  public static InMemoryPass of(List<RowBlock> blocks) {
    return new InMemoryPass(List.of(List.copyOf(blocks)));
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
    return ofRows(rows, weights, blockRows, 1, 0L);
  }

  /**
   * {@link #ofRows(double[][], double[], int)} split into {@code batches} batches for stepwise EM,
   * each row in the batch {@link org.sparkgmm.init.RowHash#batch} picks for {@code seed}.
   */
  public static InMemoryPass ofRows(double[][] rows, double[] weights, int blockRows, int batches, long seed) {
    if (batches < 1) {
      throw new IllegalArgumentException("batches must be >= 1, got " + batches);
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("There are no rows");
    }
    if (weights != null && weights.length != rows.length) {
      throw new IllegalArgumentException("Got " + weights.length + " weights for " + rows.length + " rows");
    }
    List<List<RowBlock>> byBatch = new ArrayList<>();
    List<List<Integer>> members = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < rows.length; i++) {
      members.get(org.sparkgmm.init.RowHash.batch(seed, rows[i], batches)).add(i);
    }
    for (List<Integer> batch : members) {
      byBatch.add(blocks(rows, weights, blockRows, batch));
    }
    return new InMemoryPass(byBatch);
  }

  /** The given rows as blocks: complete rows first, then incomplete ones grouped by pattern. */
  private static List<RowBlock> blocks(double[][] rows, double[] weights, int blockRows, List<Integer> which) {
    List<Integer> complete = new ArrayList<>();
    List<Integer> incomplete = new ArrayList<>();
    for (int i : which) {
      boolean hole = false;
      for (double v : rows[i]) {
        hole |= Double.isNaN(v);
      }
      (hole ? incomplete : complete).add(i);
    }
    List<RowBlock> out = new ArrayList<>();
    if (rows.length > 0) {
      blockRows = RowBlock.rowsPerBlock(blockRows, rows[0].length);
    }
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
    return List.copyOf(out);
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
  public int batches() {
    return batches.size();
  }

  @Override
  public <A extends BlockAccumulator<A>> A runBatch(String description, int batch, A zero) {
    if (batch < 0 || batch >= batches.size()) {
      throw new IllegalArgumentException("Batch " + batch + " of " + batches.size());
    }
    A acc = zero;
    for (RowBlock b : batches.get(batch)) {
      acc = acc.add(b);
    }
    return acc;
  }

  /** Rows of batch {@code batch}. */
  public long rows(int batch) {
    long n = 0;
    for (RowBlock b : batches.get(batch)) {
      n += b.rows();
    }
    return n;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return () -> value;
  }
}
