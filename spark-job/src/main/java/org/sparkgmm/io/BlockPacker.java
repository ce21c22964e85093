package org.sparkgmm.io;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.sparkgmm.data.MissingPatterns;
import org.sparkgmm.data.RowBlock;

/**
 * Packs one partition's rows into dense column-major blocks of at most {@code blockRows} valid
 * rows, counting the rows scanned and the invalid rows left out. Complete rows and rows with missing
 * values ({@code --missing marginalize}) go to separate blocks, so that the kernels keep their fast
 * path for every complete block. A partition that yields no valid row still emits one empty block,
 * so its counts are not lost.
 */
final class BlockPacker implements FlatMapFunction<Iterator<Row>, DataBlock> {
  private static final long serialVersionUID = 1L;

  private final RowReader reader;
  private final int blockRows;

  BlockPacker(RowReader reader, int blockRows) {
    this.reader = reader;
    this.blockRows = RowBlock.rowsPerBlock(blockRows, reader.dimension());
  }

  /** Rows gathered for one block, and the counts met since the last block was emitted. */
  private final class Buffer {
    final int d = reader.dimension();
    double[] values = new double[blockRows * d];
    double[] weights = reader.weighted() ? new double[blockRows] : null;
    int[] labels = reader.labelled() ? new int[blockRows] : null;
    long[] missingCells;
    int n;

    void add(Row r, double[] row) {
      for (int j = 0; j < d; j++) {
        values[j * blockRows + n] = row[j];
        if (Double.isNaN(row[j])) {
          if (missingCells == null) {
            missingCells = new long[d];
          }
          missingCells[j]++;
        }
      }
      if (weights != null) {
        weights[n] = reader.weight(r);
      }
      if (labels != null) {
        labels[n] = reader.label(r);
      }
      n++;
    }

    DataBlock emit(long scanned, long invalid, long allMissing, boolean incomplete) {
      RowBlock block = RowBlock.of(n, d, compact(values, n, d, blockRows),
          weights == null ? null : java.util.Arrays.copyOf(weights, n));
      if (labels != null) {
        block = block.withLabels(java.util.Arrays.copyOf(labels, n));
      }
      if (incomplete) {
        block = MissingPatterns.grouped(block); // each pattern's rows consecutive: cheap gathers every pass
      }
      DataBlock out = new DataBlock(block, scanned, invalid, allMissing, incomplete ? n : 0, missingCells);
      values = new double[blockRows * d];
      weights = reader.weighted() ? new double[blockRows] : null;
      labels = reader.labelled() ? new int[blockRows] : null;
      missingCells = null;
      n = 0;
      return out;
    }
  }

  @Override
  public Iterator<DataBlock> call(Iterator<Row> rows) {
    return new Packing(rows);
  }

  /**
   * The partition's blocks, packed as they are asked for: at most one block of rows is held at a
   * time, so a pass over data far larger than the executor's memory ({@code --storage none}, or a
   * cache that spills) never holds more than a block per task.
   */
  private final class Packing implements Iterator<DataBlock> {
    private final Iterator<Row> rows;
    private final double[] row = new double[reader.dimension()];
    private final Buffer complete = new Buffer();
    private final Buffer incomplete = new Buffer();
    private final ArrayDeque<DataBlock> ready = new ArrayDeque<>(2);
    private long scanned;
    private long invalid;
    private long allMissing;
    private boolean finished;

    Packing(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && !finished) {
        fill();
      }
      return !ready.isEmpty();
    }

    @Override
    public DataBlock next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** Reads rows until a block is full; at the partition's end, emits what is left. */
    private void fill() {
      int d = row.length;
      while (rows.hasNext()) {
        Row r = rows.next();
        scanned++;
        String why = reader.read(r, row);
        if (why == RowReader.ALL_MISSING) {
          allMissing++;
          continue;
        }
        if (why != null) {
          invalid++;
          continue;
        }
        Buffer into = complete;
        if (reader.marginalizes()) {
          for (int j = 0; j < d; j++) {
            if (Double.isNaN(row[j])) {
              into = incomplete;
              break;
            }
          }
        }
        into.add(r, row);
        if (into.n == blockRows) {
          emit(into, into == incomplete);
          return;
        }
      }
      finished = true;
      if (incomplete.n > 0) {
        emit(incomplete, true);
      }
      if (complete.n > 0 || scanned > 0) {
        emit(complete, false);
      }
    }

    private void emit(Buffer b, boolean holes) {
      ready.add(b.emit(scanned, invalid, allMissing, holes));
      scanned = 0;
      invalid = 0;
      allMissing = 0;
    }
  }

  /**
   * The first n rows of a column-major buffer of d columns with leading dimension
   * {@code leading}, tightly packed (the buffer itself when it is full).
   */
  static double[] compact(double[] values, int n, int d, int leading) {
    if (n == leading) {
      return values;
    }
    double[] v = new double[n * d];
    for (int j = 0; j < d; j++) {
      System.arraycopy(values, j * leading, v, j * n, n);
    }
    return v;
  }
}
