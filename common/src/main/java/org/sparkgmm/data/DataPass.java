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

  /**
   * How many batches the blocks are split into for stepwise EM: every row is in exactly one,
   * chosen by a hash of its values (never by where it is); 1 when the data are not split.
   */
  default int batches() {
    return 1;
  }

  /**
   * One scan of batch {@code batch}'s blocks only (the other batches are not touched).
   *
   * @throws IllegalArgumentException if there is no such batch
   */
  default <A extends BlockAccumulator<A>> A runBatch(String description, int batch, A zero) {
    if (batch != 0 || batches() != 1) {
      throw new IllegalArgumentException("Batch " + batch + " of " + batches());
    }
    return run(description, zero);
  }

  /** Makes {@code value} available to every task of the next {@link #run} without copying it per task. */
  <T extends Serializable> Shared<T> share(T value);
}
