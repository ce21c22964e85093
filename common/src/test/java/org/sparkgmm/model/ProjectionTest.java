package org.sparkgmm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;

class ProjectionTest {
  private static final double CLOSED_FORM = 1e-12;

  @Test
  void principalDirectionsOfTheMixtureCovariance() {
    // Means at +-5 on x; variances 1, 2, 0.5: the mixture covariance is diag(26, 2, 0.5).
    Mixture m = Mixture.gaussian(new double[] {0.5, 0.5},
        Gaussians.of(CovarianceType.DIAG, new double[][] {{5, 1, 1}, {-5, 1, 1}}, new double[] {1, 2, 0.5, 1, 2, 0.5}),
        List.of("x", "y", "z"));
    Projection p = Projection.principal(m);
    double[] one = p.point(new double[] {1, 1, 1});
    assertThat(one[0]).isCloseTo(1.0, within(CLOSED_FORM));
    assertThat(one[1]).isCloseTo(0.0, within(CLOSED_FORM));
    double[] up = p.point(new double[] {0, 2, 1});
    assertThat(up[0]).isCloseTo(0.0, within(CLOSED_FORM));
    assertThat(up[1]).as("the second direction is +y, sign fixed").isCloseTo(1.0, within(CLOSED_FORM));
    assertThat(p.labels()).containsExactly("PC1 (91.2% of variance)", "PC2 (7.0% of variance)");
    assertThat(p.center(m, 0)).containsExactly(new double[] {5, 0}, within(CLOSED_FORM));
    assertThat(p.covariance(m, 1)).containsExactly(new double[] {1, 0, 2}, within(CLOSED_FORM));
  }

  @Test
  void projectedCovarianceIsASigmaAT() {
    Random r = new Random(3);
    int d = 5;
    double[] cov = new double[2 * d * d];
    double[][] means = new double[2][d];
    for (int c = 0; c < 2; c++) {
      double[][] g = new double[d][d];
      for (double[] row : g) {
        for (int j = 0; j < d; j++) {
          row[j] = r.nextGaussian();
        }
      }
      for (int a = 0; a < d; a++) {
        means[c][a] = 3 * r.nextGaussian();
        for (int b = 0; b < d; b++) {
          double s = a == b ? 1.0 : 0.0;
          for (int t = 0; t < d; t++) {
            s += g[a][t] * g[b][t];
          }
          cov[c * d * d + b * d + a] = s;
        }
      }
    }
    Mixture m = Mixture.gaussian(new double[] {0.3, 0.7},
        Gaussians.of(CovarianceType.FULL, means, cov), List.of("a", "b", "c", "d", "e"));
    Projection p = Projection.principal(m);
    // Rows of A from the projection itself: A e_j = point(o + e_j) - point(o).
    double[] base = p.point(new double[d]);
    double[][] a = new double[2][d];
    for (int j = 0; j < d; j++) {
      double[] e = new double[d];
      e[j] = 1;
      double[] y = p.point(e);
      a[0][j] = y[0] - base[0];
      a[1][j] = y[1] - base[1];
    }
    assertThat(dot(a[0], a[0])).isCloseTo(1.0, within(1e-10));
    assertThat(dot(a[0], a[1])).isCloseTo(0.0, within(1e-10));
    for (int c = 0; c < 2; c++) {
      double[][] s = m.asGaussian().orElseThrow().covarianceMatrix(c);
      double[] expected = {quad(a[0], s, a[0]), quad(a[0], s, a[1]), quad(a[1], s, a[1])};
      assertThat(p.covariance(m, c)).containsExactly(expected, within(1e-10));
    }
  }

  @Test
  void ellipsePointsLieAtTheirMahalanobisRadius() {
    double[] center = {1.5, -2};
    double[] s = {4, 1.2, 0.8};
    double det = s[0] * s[2] - s[1] * s[1];
    for (double radius : new double[] {1, 2}) {
      double[][] pts = Projection.ellipse(center, s, radius, 73);
      assertThat(pts[0]).containsExactly(pts[72], within(1e-12));
      for (double[] q : pts) {
        double x = q[0] - center[0];
        double y = q[1] - center[1];
        double mahalanobis2 = (s[2] * x * x - 2 * s[1] * x * y + s[0] * y * y) / det;
        assertThat(Math.sqrt(mahalanobis2)).isCloseTo(radius, within(1e-12));
      }
    }
  }

  @Test
  void chosenFeaturesAreTakenAsTheyAre() {
    Mixture m = Mixture.gaussian(new double[] {1},
        Gaussians.of(CovarianceType.SPHERICAL, new double[][] {{1, 2, 3}}, new double[] {2}), List.of("x", "y", "z"));
    Projection p = Projection.features(m, "z", "x");
    assertThat(p.point(new double[] {1, 2, 3})).containsExactly(3, 1);
    assertThat(p.labels()).containsExactly("z", "x");
    assertThat(p.covariance(m, 0)).containsExactly(2, 0, 2);
    assertThatThrownBy(() -> Projection.features(m, "x", "w")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--report-features w is not a feature of the model; its features are [x, y, z]");
    assertThatThrownBy(() -> Projection.principal(Mixture.gaussian(new double[] {1},
        Gaussians.of(CovarianceType.FULL, new double[][] {{0}}, new double[] {1}), List.of("x"))))
        .hasMessageContaining("at least 2 features");
  }

  private static double dot(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      s += u[i] * v[i];
    }
    return s;
  }

  private static double quad(double[] u, double[][] s, double[] v) {
    double t = 0;
    for (int i = 0; i < u.length; i++) {
      for (int j = 0; j < v.length; j++) {
        t += u[i] * s[i][j] * v[j];
      }
    }
    return t;
  }
}
