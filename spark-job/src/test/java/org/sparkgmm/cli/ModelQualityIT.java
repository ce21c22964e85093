package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;

/** What the fit reaches on awkward but valid data. */
class ModelQualityIT {
  private static final double REG_COVAR = 1e-6;

  @TempDir
  Path tmp;

  /**
   * Constant columns (image pixels that are always 0, a flag that is always 255) are fitted as
   * scikit-learn fits them: their variance is reg_covar in every component, a warning line and
   * metrics' {@code constant_features} name them, and every row's component probabilities are
   * those of the fit without them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"full", "tied", "diag"})
  void constantFeaturesAreFittedAsTheirRegularisationAndChangeNoPrediction(String type) {
    double[][] rows = MissingFixtures.threeGaussians().sample(3000, 11);
    double[][] withConstants = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      double[] r = rows[i];
      withConstants[i] = new double[] {0.0, r[0], r[1], 255.0, r[2], r[3]};
    }
    Path plain = Gmm.writeCsv(tmp.resolve("plain.csv"), List.of("x0", "x1", "x2", "x3"), rows);
    Path padded = Gmm.writeCsv(tmp.resolve("padded.csv"), List.of("pixel0", "x0", "x1", "flag", "x2", "x3"),
        withConstants);
    String[] settings = {"--k", "3", "--covariance", type, "--tol", "1e-10", "--max-iter", "1000", "--no-report"};
    Path without = tmp.resolve("without-" + type);
    Path with = tmp.resolve("with-" + type);
    Gmm.run(concat(new String[] {"fit", "--input", plain.toString(), "--output", without.toString()}, settings)).ok();
    Gmm.Run run = Gmm.run(concat(new String[] {"fit", "--input", padded.toString(), "--output", with.toString()},
        settings));
    run.ok();

    assertThat(run.err()).contains("fit: warning: constant or nearly constant features 'pixel0', 'flag': every"
        + " component's variance there is the regularisation (reg_covar 1.0E-6)");
    JsonNode metrics = Gmm.metrics(with);
    assertThat(metrics.get("constant_features").toString()).isEqualTo("[\"pixel0\",\"flag\"]");
    assertThat(metrics.get("regularised").size()).as("nothing else regularised").isZero();
    assertThat(Gmm.metrics(without).get("constant_features").size()).isZero();

    Mixture a = Gmm.model(with);
    Mixture b = Gmm.model(without);
    for (int c = 0; c < a.components(); c++) {
      assertThat(a.covariance(c)[0][0]).isCloseTo(REG_COVAR, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(a.covariance(c)[3][3]).isCloseTo(REG_COVAR, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(a.mean(c)[3]).isCloseTo(255.0, org.assertj.core.data.Offset.offset(1e-9));
    }
    // Components in the same order (nearest means), then every row's probabilities.
    int[] match = new int[b.components()];
    for (int c = 0; c < b.components(); c++) {
      double best = Double.POSITIVE_INFINITY;
      for (int e = 0; e < a.components(); e++) {
        double[] m = a.mean(e);
        double[] plainMean = {m[1], m[2], m[4], m[5]};
        double dist = 0;
        for (int j = 0; j < 4; j++) {
          dist += Math.pow(plainMean[j] - b.mean(c)[j], 2);
        }
        if (dist < best) {
          best = dist;
          match[c] = e;
        }
      }
    }
    assertThat(match).as("a one-to-one match").doesNotHaveDuplicates();
    double[][] pa = a.predictProba(withConstants);
    double[][] pb = b.predictProba(rows);
    double worst = 0;
    for (int i = 0; i < rows.length; i++) {
      for (int c = 0; c < b.components(); c++) {
        worst = Math.max(worst, Math.abs(pa[i][match[c]] - pb[i][c]));
      }
    }
    assertThat(worst).as("largest probability difference").isLessThan(1e-6);
    for (int c = 0; c < b.components(); c++) {
      assertThat(Math.abs(a.weights()[match[c]] - b.weights()[c])).isLessThan(1e-6);
    }
  }

  private static String[] concat(String[] head, String... tail) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }
}
