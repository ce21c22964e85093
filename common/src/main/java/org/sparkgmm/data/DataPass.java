package org.sparkgmm.data;

import java.io.Serializable;

/**
 * Where the data live: runs an accumulator over every block (locally, or as one Spark job) and
 * returns the merged result. Algorithms in {@code common} are written against this interface, so
 * each of their passes is exactly one scan of the data wherever it is.
 */
public interface DataPass {
  /**
   * One scan of the data.
   *
   * @param description what the pass is for, shown to the user (e.g. as a Spark job description)
   * @param zero an empty accumulator; it is copied to every task
   * @return the accumulator after every block was added and the copies merged
   */
  <A extends BlockAccumulator<A>> A run(String description, A zero);

  /** Makes {@code value} available to every task of the next {@link #run} without copying it per task. */
  <T extends Serializable> Shared<T> share(T value);
}
