package org.sparkgmm.distribution;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * The k component densities of a mixture, evaluated a block at a time. This is what the E-step
 * talks to, so that families other than the Gaussian can be added behind the same kernel shape.
 */
public interface ComponentDensities extends Serializable {
  /** Number of components k. */
  int components();

  /** Number of features d. */
  int dimension();

  /**
   * Writes {@code log p_c(x_i)} for every row {@code i} of the block and component {@code c} into
   * {@code out[c * n + i]} (column-major {@code n x k}).
   *
   * @param scratch work space of at least {@link #scratchSize(int)} doubles, overwritten
   * @throws IllegalArgumentException if the block has the wrong number of features
   */
  void logDensities(RowBlock block, double[] out, double[] scratch);

  /** Scratch doubles {@link #logDensities} needs for a block of {@code rows} rows. */
  int scratchSize(int rows);
}
