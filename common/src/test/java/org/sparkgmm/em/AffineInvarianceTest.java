package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparkgmm.component.Factor.gaussian;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.init.InitMode;
import org.sparkgmm.model.Mixture;

/**
 * Fits do not depend on the units: fitting {@code Y = X A^T + b} with the default settings and the
 * same seed gives the model of fitting X, mapped by {@code x -> A x + b} (means {@code A mu + b},
 * covariances {@code A Sigma A^T}, weights unchanged, mean log-likelihood lower by
 * {@code log |det A|}), to 1e-6. The starts seed in standardised coordinates (spherical: one common
 * scale) and draw their random numbers by keys those maps do not change; reg_covar is relative to
 * each feature's variance. Per-feature scales from 1e-3 to 1e4 with shifts for every covariance type
 * (spherical: a uniform scale, the only one it is equivariant under), and a uniform scale with a
 * rotation for spherical.
 */
class AffineInvarianceTest {
  private static final List<String> FEATURES = List.of("a", "b", "c");
  private static final double TOL = 1e-6;

  private static double[][] data() {
    double[][] c0 = {{1.0, 0.5, 0.1}, {0.5, 1.2, -0.3}, {0.1, -0.3, 0.8}};
    double[][] c1 = {{0.4, 0.0, 0.1}, {0.0, 0.9, 0.2}, {0.1, 0.2, 0.6}};
    double[][] c2 = {{0.7, -0.2, 0.0}, {-0.2, 0.5, 0.0}, {0.0, 0.0, 1.5}};
    Mixture truth = Mixture.ofComponents(new double[] {0.4, 0.35, 0.25}, List.of(
        Component.of(gaussian(new double[] {0, 0, 0}, c0)), Component.of(gaussian(new double[] {3, -2, 1}, c1)),
        Component.of(gaussian(new double[] {-1, 3, 4}, c2))), FEATURES);
    return truth.sample(900, 17);
  }

  private static FitResult fit(double[][] rows, CovarianceType type, InitMode init, EmOptions em) {
    return MixtureFit.fromSamples(ComponentSpec.gaussian(FEATURES, type), rows, null,
        new MixtureFit.Settings(3, init, 1, 7L, 5, em), MixtureFit.silent());
  }

  private static final double[] SHIFTS = {5.0, -1e3, 7e4};

  /** Scales from 1e-3 to 1e4 per feature; spherical: a uniform scale, the only one it is equivariant under. */
  private static double[][] perFeatureScales(CovarianceType type) {
    return type == CovarianceType.SPHERICAL
        ? new double[][] {{1e4, 0, 0}, {0, 1e4, 0}, {0, 0, 1e4}}
        : new double[][] {{1e-3, 0, 0}, {0, 1.0, 0}, {0, 0, 1e4}};
  }

  /** A general invertible map: shear, rotation and scales from 1e-3 to 1e4 mixing every feature. */
  private static final double[][] GENERAL = {{1e-3, 2e-3, -5e-4}, {3.0, -1.0, 2.0}, {-2e4, 1e4, 3e4}};

  /**
   * Full and tied mixtures are equivariant under every invertible linear map, and so is the
   * hierarchical start (whitened coordinates, keys by the Mahalanobis norm); the regularisation,
   * per feature, is not, so it is 0 here.
   */
  @ParameterizedTest
  @EnumSource(value = CovarianceType.class, names = {"FULL", "TIED"})
  void underAGeneralLinearMapFromTheHierarchicalStart(CovarianceType type) {
    assertEquivariant(type, GENERAL, new double[] {1e3, -7.0, 2e5}, InitMode.HC, new EmOptions(100, 1e-3, 0.0));
  }

  /** Per-feature scales and shifts leave the hierarchical start alone for every covariance type, regularised. */
  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void perFeatureScalesAndShiftsFromTheHierarchicalStart(CovarianceType type) {
    assertEquivariant(type, perFeatureScales(type), SHIFTS, InitMode.HC, EmOptions.DEFAULTS);
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void perFeatureScalesAndShifts(CovarianceType type) {
    assertEquivariant(type, perFeatureScales(type), SHIFTS);
  }

  @org.junit.jupiter.api.Test
  void sphericalUnderAScaledRotation() {
    double t = 0.7;
    double c = 1e-3;
    assertEquivariant(CovarianceType.SPHERICAL,
        new double[][] {{c * Math.cos(t), -c * Math.sin(t), 0}, {c * Math.sin(t), c * Math.cos(t), 0}, {0, 0, c}},
        new double[] {-4.0, 9.0, 0.5});
  }

  private static void assertEquivariant(CovarianceType type, double[][] a, double[] b) {
    assertEquivariant(type, a, b, InitMode.KMEANS_PARALLEL, EmOptions.DEFAULTS);
  }

  private static void assertEquivariant(CovarianceType type, double[][] a, double[] b, InitMode init, EmOptions em) {
    double[][] x = data();
    double[][] y = new double[x.length][3];
    for (int i = 0; i < x.length; i++) {
      for (int r = 0; r < 3; r++) {
        double v = b[r];
        for (int s = 0; s < 3; s++) {
          v += a[r][s] * x[i][s];
        }
        y[i][r] = v;
      }
    }
    FitResult fx = fit(x, type, init, em);
    FitResult fy = fit(y, type, init, em);
    assertThat(fy.iterations()).as("iterations").isEqualTo(fx.iterations());
    double logDet = Math.log(Math.abs(det(a)));
    double meanX = fx.logLikelihood() / fx.weightSum();
    double meanY = fy.logLikelihood() / fy.weightSum();
    assertThat(meanY).as("mean log-likelihood").isCloseTo(meanX - logDet, within(TOL));
    Mixture mx = fx.model();
    Mixture my = fy.model();
    for (int k = 0; k < 3; k++) {
      assertThat(my.weights()[k]).as("weight %d", k).isCloseTo(mx.weights()[k], within(TOL));
      // Compared in X's units: Y's parameters mapped back by A^-1, relative to X's spread.
      double[][] inv = inverse(a);
      double[] mu = my.mean(k);
      double[] back = new double[3];
      for (int r = 0; r < 3; r++) {
        for (int s = 0; s < 3; s++) {
          back[r] += inv[r][s] * (mu[s] - b[s]);
        }
      }
      double[][] sx = mx.covariance(k);
      double[][] sy = congruence(inv, my.covariance(k));
      for (int r = 0; r < 3; r++) {
        assertThat(back[r]).as("component %d mean %d", k, r).isCloseTo(mx.mean(k)[r], within(TOL * Math.sqrt(sx[r][r])));
        for (int s = 0; s < 3; s++) {
          assertThat(sy[r][s]).as("component %d covariance %d,%d", k, r, s)
              .isCloseTo(sx[r][s], within(TOL * Math.sqrt(sx[r][r] * sx[s][s])));
        }
      }
    }
  }

  private static double[][] congruence(double[][] m, double[][] s) {
    double[][] out = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double v = 0.0;
        for (int p = 0; p < 3; p++) {
          for (int q = 0; q < 3; q++) {
            v += m[r][p] * s[p][q] * m[c][q];
          }
        }
        out[r][c] = v;
      }
    }
    return out;
  }

  private static double det(double[][] a) {
    return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
        + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  }

  private static double[][] inverse(double[][] a) {
    double d = det(a);
    double[][] inv = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (c + 1) % 3;
        int r2 = (c + 2) % 3;
        int c1 = (r + 1) % 3;
        int c2 = (r + 2) % 3;
        inv[r][c] = (a[r1][c1] * a[r2][c2] - a[r1][c2] * a[r2][c1]) / d;
      }
    }
    return inv;
  }
}
