package org.sparkgmm.io;

import java.util.Iterator;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Row;
import org.sparkgmm.init.RowHash;
import scala.Tuple2;

/**
 * Keys every input row by the partition of its stepwise-EM batch: the batch from a hash of the
 * row's feature values ({@link RowHash#batch}: never from where the row is), the partition within
 * the batch from another hash. Rows the reader refuses go to partition 0, where the packer counts them.
 */
final class BatchKeys implements PairFlatMapFunction<Iterator<Row>, Integer, Row> {
  private static final long serialVersionUID = 1L;
  private static final long SPREAD_STREAM = 0x7a11eL;
  private final RowReader reader;
  private final int batches;
  private final int perBatch;
  private final long seed;

  BatchKeys(RowReader reader, int batches, int perBatch, long seed) {
    this.reader = reader;
    this.batches = batches;
    this.perBatch = perBatch;
    this.seed = seed;
  }

  /** Each row keyed by its batch, lazily: a partition is never held in memory. */
  @Override
  public Iterator<Tuple2<Integer, Row>> call(Iterator<Row> rows) {
    double[] x = new double[reader.dimension()];
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Tuple2<Integer, Row> next() {
        Row r = rows.next();
        int key = 0;
        if (reader.read(r, x) == null) {
          int spread = (int) Long.remainderUnsigned(RowHash.of(seed, SPREAD_STREAM, x), perBatch);
          key = RowHash.batch(seed, x, batches) * perBatch + spread;
        }
        return new Tuple2<>(key, r);
      }
    };
  }
}
