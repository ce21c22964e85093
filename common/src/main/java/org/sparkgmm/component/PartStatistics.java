package org.sparkgmm.component;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * Mergeable sufficient statistics of one {@link Part}, for its k components. {@link #merge} is
 * associative and commutative up to floating-point summation order, so statistics of any split of
 * the data merge to those of the whole; {@link #scaled} is what stepwise EM blends with.
 */
public interface PartStatistics extends Serializable {
  /**
   * Adds a block with its responsibilities.
   *
   * @param block the rows, holding exactly the part's features in order; row weights multiply
   * @param resp column-major {@code n x k} responsibilities {@code r_ic} (not weighted)
   */
  void add(RowBlock block, double[] resp);

  /**
   * Adds {@code other}, gathered for the same parameters, into this and returns this.
   *
   * @throws IllegalArgumentException if the two were gathered for different parameters
   */
  PartStatistics merge(PartStatistics other);

  /** A copy with every additive statistic multiplied by {@code factor} (min and max kept). */
  PartStatistics scaled(double factor);

  /**
   * The same statistics re-expressed about the centres {@code at} gathers at (its
   * {@link Part#emptyStatistics}), so that they merge with statistics gathered there: what stepwise
   * EM blends older statistics with. Sums about a centre move exactly ({@code S1 - N e},
   * {@code S2 - e S1^T - S1 e^T + N e e^T}); uncentred sums, counts and ranges stay.
   *
   * @param at a part of the same kind, features and components
   */
  PartStatistics recentred(Part at);

  /** {@code N_c = sum_i w_i r_ic}. */
  double mass(int c);
}
