package org.sparkgmm.data;

import java.io.Serializable;

/**
 * Something one pass over the data computes: it takes blocks one at a time and merges with
 * another of its kind, so that the same code runs on one machine or as a Spark
 * {@code treeAggregate}. Implementations fetch shared inputs (a model, centres) through
 * {@link Shared} handles and allocate work arrays once per task, never per row.
 *
 * @param <A> the implementing type
 */
public interface BlockAccumulator<A extends BlockAccumulator<A>> extends Serializable {
  /** Adds one block. Returns this. */
  A add(RowBlock block);

  /**
   * Adds everything {@code other} has seen into this. Must be associative and commutative up to
   * floating-point summation order, so that partitioning does not change the result. Returns this.
   */
  A merge(A other);
}
