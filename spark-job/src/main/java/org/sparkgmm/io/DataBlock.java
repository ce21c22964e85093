package org.sparkgmm.io;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * A cached block of valid rows plus what packing it met, so that one pass both packs and counts:
 * how many input rows were scanned to fill it, how many of those were invalid (dropped), and under
 * {@code --missing marginalize} how many were left out because every feature was missing, how many
 * of the block's rows miss some value and how many cells each feature misses (null when none).
 */
public record DataBlock(RowBlock rows, long scanned, long invalid, long allMissing, long incomplete,
    long[] missingCells) implements Serializable {

  /** A block of complete rows. */
  public DataBlock(RowBlock rows, long scanned, long invalid) {
    this(rows, scanned, invalid, 0, 0, null);
  }
}
