package org.sparkgmm.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.em.MixtureFit;

/** {@code --init hc} around the tree: the sample's size, rows with missing values, its refusals. */
class HierarchicalStartTest {
  private static final List<String> FEATURES = List.of("a", "b");

  private static double[][] blobs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      double c = 8.0 * (i % 3);
      rows[i] = new double[] {c + r.nextGaussian(), -c + 0.3 * r.nextGaussian()};
    }
    return rows;
  }

  private static FitResult fit(double[][] rows, boolean missing) {
    return MixtureFit.fromSamples(ComponentSpec.gaussian(FEATURES, CovarianceType.FULL), rows, null,
        new MixtureFit.Settings(3, InitMode.HC, 2, 0L, 5, EmOptions.DEFAULTS, missing), MixtureFit.silent());
  }

  @Test
  void theSampleShrinksWithTheDimensionOnly() {
    assertThat(HierarchicalStart.sampleRows(4)).isEqualTo(2000);
    assertThat(HierarchicalStart.sampleRows(13)).isEqualTo(2000);
    assertThat(HierarchicalStart.sampleRows(30)).isEqualTo(1054);
    assertThat(HierarchicalStart.sampleRows(64)).isEqualTo(338);
    assertThat(HierarchicalStart.sampleRows(1000)).isEqualTo(HierarchicalStart.LEAST_SAMPLE_ROWS);
  }

  /** More rows than the sample: the blobs are found from 2000 of 6000 rows. */
  @Test
  void aSampleOfLargerDataFindsTheClusters() {
    FitResult f = fit(blobs(6000, 4), false);
    for (double w : f.model().weights()) {
      assertThat(w).isCloseTo(1.0 / 3, within(0.01));
    }
  }

  /** Rows with a missing value are left out of the sample, and still count in EM. */
  @Test
  void rowsWithMissingValuesAreLeftOutOfTheSampleOnly() {
    double[][] rows = blobs(900, 5);
    for (int i = 0; i < rows.length; i += 4) {
      rows[i][i % 8 == 0 ? 0 : 1] = Double.NaN;
    }
    FitResult f = fit(rows, true);
    assertThat(f.weightSum()).isEqualTo(900.0);
    for (double w : f.model().weights()) {
      assertThat(w).isCloseTo(1.0 / 3, within(0.01));
    }
  }

  @Test
  void dataWithoutACompleteRowAreRefused() {
    double[][] rows = blobs(30, 6);
    for (int i = 0; i < rows.length; i++) {
      rows[i][i % 2] = Double.NaN;
    }
    assertThatThrownBy(() -> fit(rows, true)).hasMessageContaining("--init hc needs rows without missing values");
  }
}
