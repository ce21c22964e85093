package org.sparkgmm.io;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.sparkgmm.data.RowBlock;

/**
 * Packs one partition's rows into dense column-major blocks of at most {@code blockRows} valid
 * rows, counting the rows scanned and the invalid rows left out. A partition that yields no valid
 * row still emits one empty block, so its counts are not lost.
 */
final class BlockPacker implements FlatMapFunction<Iterator<Row>, DataBlock> {
  private static final long serialVersionUID = 1L;

  private final RowReader reader;
  private final int blockRows;

  BlockPacker(RowReader reader, int blockRows) {
    this.reader = reader;
    this.blockRows = blockRows;
  }

  @Override
  public Iterator<DataBlock> call(Iterator<Row> rows) {
    int d = reader.dimension();
    double[] row = new double[d];
    List<DataBlock> out = new ArrayList<>();
    double[] values = new double[blockRows * d];
    double[] weights = reader.weighted() ? new double[blockRows] : null;
    int[] labels = reader.labelled() ? new int[blockRows] : null;
    int n = 0;
    long scanned = 0;
    long invalid = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      scanned++;
      if (reader.read(r, row) != null) {
        invalid++;
        continue;
      }
      for (int j = 0; j < d; j++) {
        values[j * blockRows + n] = row[j];
      }
      if (weights != null) {
        weights[n] = reader.weight(r);
      }
      if (labels != null) {
        labels[n] = reader.label(r);
      }
      n++;
      if (n == blockRows) {
        out.add(new DataBlock(withLabels(RowBlock.of(n, d, values, weights), labels), scanned, invalid));
        values = new double[blockRows * d];
        weights = reader.weighted() ? new double[blockRows] : null;
        labels = reader.labelled() ? new int[blockRows] : null;
        n = 0;
        scanned = 0;
        invalid = 0;
      }
    }
    if (n > 0 || scanned > 0) {
      RowBlock block = RowBlock.of(n, d, compact(values, n, d, blockRows), weights == null ? null
          : java.util.Arrays.copyOf(weights, n));
      out.add(new DataBlock(withLabels(block, labels == null ? null : java.util.Arrays.copyOf(labels, n)),
          scanned, invalid));
    }
    return out.iterator();
  }

  private static RowBlock withLabels(RowBlock block, int[] labels) {
    return labels == null ? block : block.withLabels(labels);
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
