package org.sparkgmm.component;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.sparkgmm.data.RowBlock;

/**
 * One factor of the components of a {@link ComponentGroup}: a density over a fixed set of the
 * mixture's features, for all k components of the group at once. A component's density is the
 * product of its group's parts, which cover disjoint features.
 *
 * <p>Implementations are immutable parameter values. Two exist: {@link GaussianPart} (a
 * multivariate Gaussian over a block of features, four covariance types, the BLAS block kernels)
 * and {@link IndependentPart} (one univariate family per feature; the exponential families as one
 * skinny GEMM over their sufficient statistics). The seams the next capabilities use are here:
 * {@link PartStatistics} merge and scale (stepwise EM), and {@link #estimate} maps statistics to
 * parameters (maximum likelihood today, a prior later).
 */
public interface Part extends Serializable {
  /** The stable name of the kind in model files: {@code gaussian} or {@code independent}. */
  String kind();

  /** Indices of this part's features among the mixture's, in the order the part uses them; a copy. */
  int[] features();

  /** Number of components k of the group this part belongs to. */
  int components();

  /** Scratch doubles {@link #logDensities} needs for a block of {@code rows} rows. */
  int scratchSize(int rows);

  /**
   * Writes {@code log p_c(x_i)} over this part's features into {@code out[c * n + i]}.
   *
   * @param block the rows, holding exactly this part's features in {@link #features()} order
   * @param out at least {@code n * k} doubles, overwritten
   * @param scratch at least {@link #scratchSize(int)} doubles, overwritten
   */
  void logDensities(RowBlock block, double[] out, double[] scratch);

  /**
   * Adds this part's share of the conditional expectations of the block's missing values (see
   * {@link Imputation}): for every row missing a feature of this part and every component c,
   * {@code posterior(i, first + c)} times component c's expectation of that feature given the row's
   * observed features of this part.
   *
   * @param block the rows, holding exactly this part's features in {@link #features()} order
   * @param posteriors column-major {@code n x K} posteriors over the whole mixture
   * @param first the mixture index of the group's first component
   */
  void impute(RowBlock block, double[] posteriors, int first, Imputation into);

  /** Empty statistics for the next M-step, collected at (centred on) these parameters. */
  PartStatistics emptyStatistics();

  /**
   * The statistics of data that match these parameters exactly, {@code mass[c]} rows for component
   * c: the M-step on them (with {@code reg}) gives the parameters back. What a model's evidence
   * is worth when new rows update it ({@code gmm update}).
   */
  PartStatistics expectedStatistics(double[] mass, Regularisation reg);

  /**
   * The M-step: new parameters from statistics gathered by {@code this.emptyStatistics()}.
   *
   * @throws IllegalStateException naming the component and the cure when the estimate is not a
   *     valid parameter value (a covariance not positive definite even with {@code reg_covar}, a rate
   *     without data)
   */
  Part estimate(PartStatistics statistics, Estimation estimation);

  /** Free parameters of all k components (shared ones counted once), for BIC and AIC. */
  long parameterCount();

  /**
   * Draws the part's features of one row from component {@code c}.
   *
   * @param out {@code features().length} values, overwritten
   */
  void draw(int c, SplittableRandom random, double[] out);

  /** The mean of component {@code c} over this part's features (moment matching, for reports). */
  double[] mean(int c);

  /** The covariance matrix of component {@code c} over this part's features, {@code [p][p]}. */
  double[][] covariance(int c);

  /**
   * Why {@code value} cannot be a value of the part's feature {@code index} (an index into
   * {@link #features()}) for any component, or {@code null} when it can.
   */
  String outsideSupport(int index, double value);
}
