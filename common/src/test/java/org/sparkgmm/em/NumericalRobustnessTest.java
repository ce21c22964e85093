package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.LocalEm;
import org.sparkgmm.testing.SklearnFixture;

/** Cases where linear-space or uncentred implementations break. */
class NumericalRobustnessTest {
  private static final double SHIFT = 1e9;
  private static final double SHIFT_TOLERANCE = 1e-6;
  /** Absolute tolerance for a mean stored near 1e9 (1e-13 relative). */
  private static final double MEAN_NEAR_SHIFT = 1e-4;

  /**
   * A mean near 1e9 is itself only representable to 1.2e-7, which moves every log-density by about
   * 1.2e-7 / sigma per iteration whatever the algorithm; the 10-D set's components (sigma >= 0.5)
   * keep that under the tolerance, so what is tested is that nothing else (uncentred second moments,
   * X*P - mu*P cancellation) loses precision.
   */
  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void dataShiftedBy1e9GiveTheSameCovariances(CovarianceType type) {
    SklearnFixture fx = SklearnFixture.load("synthetic10");
    double[][] data = fx.data();
    double[][] shifted = new double[data.length][];
    for (int i = 0; i < data.length; i++) {
      for (int j = 0; j < data[i].length; j++) {
        // On a 2^-16 grid, x + 1e9 is exact: any difference below is the algorithm's, not the input's.
        data[i][j] = Math.rint(data[i][j] * 65536.0) / 65536.0;
      }
      shifted[i] = data[i].clone();
      for (int j = 0; j < shifted[i].length; j++) {
        shifted[i][j] += SHIFT;
      }
    }
    Mixture init = fx.initialModel(type);
    double[][] shiftedMeans = init.means();
    for (double[] m : shiftedMeans) {
      for (int j = 0; j < m.length; j++) {
        m[j] += SHIFT;
      }
    }
    Mixture shiftedInit = Mixture.gaussian(init.weights(),
        Gaussians.of(type, shiftedMeans, init.asGaussian().orElseThrow().covarianceValues()), init.features());
    EmOptions options = new EmOptions(20, 0.0, 1e-6);

    FitResult plain = LocalEm.fit(LocalEm.split(RowBlock.fromRows(data, null), 100), init, options);
    FitResult moved = LocalEm.fit(LocalEm.split(RowBlock.fromRows(shifted, null), 100), shiftedInit, options);

    assertRelClose(moved.model().weights(), plain.model().weights(), SHIFT_TOLERANCE, "weights");
    for (int c = 0; c < init.components(); c++) {
      assertRelClose(flat(moved.model().asGaussian().orElseThrow().covarianceMatrix(c)),
          flat(plain.model().asGaussian().orElseThrow().covarianceMatrix(c)), SHIFT_TOLERANCE, "covariance " + c);
      double[] back = moved.model().asGaussian().orElseThrow().mean(c);
      for (int j = 0; j < back.length; j++) {
        back[j] -= SHIFT;
      }
      double[] expected = plain.model().asGaussian().orElseThrow().mean(c);
      for (int j = 0; j < back.length; j++) {
        // Absolute: a double near 1e9 is only resolved to ~1.2e-7.
        assertThat(back[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(MEAN_NEAR_SHIFT));
      }
    }
  }

  /** Spark MLlib's GaussianMixture collapses these into one cluster (densities under its 1e-16 floor). */
  @Test
  void twoBlobsTenApartInSixtyDimensionsAreSeparated() {
    int d = 60;
    int perBlob = 300;
    Random random = new Random(42);
    double[][] data = new double[2 * perBlob][d];
    for (int i = 0; i < data.length; i++) {
      double offset = i < perBlob ? 0.0 : 10.0 / Math.sqrt(d);
      for (int j = 0; j < d; j++) {
        data[i][j] = random.nextGaussian() + offset;
      }
    }
    // Start from one row of each blob, unit covariances, as a plain data-driven start would.
    for (CovarianceType type : CovarianceType.values()) {
      double[][] means = {data[0].clone(), data[perBlob].clone()};
      double[] cov = new double[Gaussians.covarianceLength(type, 2, d)];
      switch (type) {
        case FULL -> { for (int c = 0; c < 2; c++) for (int j = 0; j < d; j++) cov[c * d * d + j * d + j] = 1; }
        case TIED -> { for (int j = 0; j < d; j++) cov[j * d + j] = 1; }
        default -> java.util.Arrays.fill(cov, 1.0);
      }
      Mixture init = Mixture.gaussian(new double[] {0.5, 0.5}, Gaussians.of(type, means, cov),
          List.of());
      FitResult fit = LocalEm.fit(LocalEm.split(RowBlock.fromRows(data, null), 128), init, EmOptions.DEFAULTS);
      for (double w : fit.model().weights()) {
        assertThat(w).as(type + " weight").isBetween(0.45, 0.55);
      }
      double[][] m = fit.model().means();
      double separation = 0.0;
      for (int j = 0; j < d; j++) {
        separation += (m[0][j] - m[1][j]) * (m[0][j] - m[1][j]);
      }
      assertThat(Math.sqrt(separation)).as(type + " distance between the means").isBetween(9.0, 11.0);
      assertThat(fit.meanLogLikelihood()).as(type + " log-likelihood").isFinite();
    }
  }
}
