package org.sparkgmm.init;

import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.model.Mixture;
import java.util.Arrays;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;

/**
 * Sufficient statistics under responsibilities that do not come from a model, for the M-step that
 * makes a start:
 * <ul>
 *   <li>{@link #random}: {@code r_ic = u_ic / sum_c u_ic} with {@code u_ic} uniform from the row's
 *       {@link RowHash} (scikit-learn's {@code init_params='random'});
 *   <li>{@link #labels}: {@code r_ic = 1} for the row's fixed component, and rows without one left
 *       out (each component starts from its labelled rows).
 * </ul>
 */
public final class PresetResponsibilities implements BlockAccumulator<PresetResponsibilities> {
  private static final long serialVersionUID = 1L;

  private final boolean random;
  private final long seed;
  private final MixtureStatistics statistics;

  private transient double[] resp;

  private PresetResponsibilities(boolean random, long seed, MixtureStatistics statistics) {
    this.random = random;
    this.seed = seed;
    this.statistics = statistics;
  }

  /**
   * Random responsibilities for the k components of a template.
   *
   * @param template a {@link Templates template} centred where the statistics should be (normally
   *     at the data mean), for precision
   */
  public static PresetResponsibilities random(Mixture template, long seed) {
    return new PresetResponsibilities(true, seed, template.emptyStatistics());
  }

  /** Responsibilities from the rows' labels ({@link RowBlock#label}); unlabelled rows are left out. */
  public static PresetResponsibilities labels(Mixture template) {
    return new PresetResponsibilities(false, 0L, template.emptyStatistics());
  }

  @Override
  public PresetResponsibilities add(RowBlock block) {
    int n = block.rows();
    int k = statistics.components();
    if (n == 0) {
      return this;
    }
    if (resp == null || resp.length < n * k) {
      resp = new double[n * k];
    }
    Arrays.fill(resp, 0, n * k, 0.0);
    for (int i = 0; i < n; i++) {
      if (random) {
        long h = RowHash.of(seed, 0, block, i);
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
          h = RowHash.mix(h + c + 1);
          double u = RowHash.uniform(h);
          resp[c * n + i] = u;
          sum += u;
        }
        for (int c = 0; c < k; c++) {
          resp[c * n + i] /= sum;
        }
      } else if (block.label(i) >= 0) {
        if (block.label(i) >= k) {
          throw new IllegalArgumentException("Row label " + block.label(i) + " is not below k=" + k);
        }
        resp[block.label(i) * n + i] = 1.0;
      }
    }
    statistics.add(block, resp);
    return this;
  }

  @Override
  public PresetResponsibilities merge(PresetResponsibilities other) {
    statistics.merge(other.statistics);
    return this;
  }

  /** The statistics gathered. */
  public MixtureStatistics statistics() {
    return statistics;
  }
}
