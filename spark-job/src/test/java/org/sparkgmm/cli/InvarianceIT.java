package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SklearnFixture;

/** The fitted model depends on the data and the seed, not on partitioning or on how weight is spelt. */
class InvarianceIT {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void partitionCountDoesNotChangeTheModel(CovarianceType type) {
    SklearnFixture fx = SklearnFixture.load("synthetic10");
    Path csv = Gmm.writeCsv(tmp.resolve("data.csv"), fx.features(), fx.data());
    Mixture reference = null;
    for (int partitions : new int[] {1, 2, 7}) {
      Path out = tmp.resolve("p" + partitions);
      Gmm.run("fit", "--input", csv.toString(), "--k", "3", "--covariance", type.externalName(), "--seed", "3",
          "--partitions", String.valueOf(partitions), "--output", out.toString()).ok();
      Mixture m = Gmm.model(out);
      if (reference == null) {
        reference = m;
      } else {
        assertSameModel(m, reference, SUMMATION_ORDER, partitions + " partitions");
      }
    }
  }

  @Test
  void integerWeightsEqualDuplicatedRows() {
    SklearnFixture fx = SklearnFixture.load("faithful");
    double[][] data = fx.data();
    Random random = new Random(5);
    List<double[]> weighted = new ArrayList<>();
    List<double[]> duplicated = new ArrayList<>();
    for (double[] row : data) {
      int w = random.nextInt(3);
      weighted.add(new double[] {row[0], row[1], w});
      for (int r = 0; r < w; r++) {
        duplicated.add(row);
      }
    }
    Path start = tmp.resolve("start.json");
    try {
      java.nio.file.Files.writeString(start, fx.initialModelJson(CovarianceType.FULL));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path w = Gmm.writeCsv(tmp.resolve("w.csv"), List.of("eruptions", "waiting", "w"), weighted.toArray(double[][]::new));
    Path d = Gmm.writeCsv(tmp.resolve("d.csv"), fx.features(), duplicated.toArray(double[][]::new));
    Gmm.run("fit", "--input", w.toString(), "--weight-col", "w", "--init-model", start.toString(), "--tol", "0",
        "--max-iter", "15", "--output", tmp.resolve("ow").toString()).ok();
    Gmm.run("fit", "--input", d.toString(), "--init-model", start.toString(), "--tol", "0", "--max-iter", "15",
        "--output", tmp.resolve("od").toString()).ok();
    assertSameModel(Gmm.model(tmp.resolve("ow")), Gmm.model(tmp.resolve("od")), SUMMATION_ORDER, "weights");
    assertThat(Gmm.metrics(tmp.resolve("ow")).get("weight_sum").asDouble())
        .isEqualTo(Gmm.metrics(tmp.resolve("od")).get("n_rows").asDouble());
    assertRelClose(new double[] {Gmm.metrics(tmp.resolve("ow")).get("bic").asDouble()},
        new double[] {Gmm.metrics(tmp.resolve("od")).get("bic").asDouble()}, SUMMATION_ORDER, "bic");
  }

  @Test
  void dataShiftedBy1e9GiveTheSameCovariances() {
    SklearnFixture fx = SklearnFixture.load("synthetic10");
    double[][] data = fx.data();
    double[][] shifted = new double[data.length][];
    for (int i = 0; i < data.length; i++) {
      shifted[i] = new double[data[i].length];
      for (int j = 0; j < data[i].length; j++) {
        data[i][j] = Math.rint(data[i][j] * 65536.0) / 65536.0; // exact after the shift
        shifted[i][j] = data[i][j] + 1e9;
      }
    }
    Gmm.run("fit", "--input", Gmm.writeCsv(tmp.resolve("a.csv"), fx.features(), data).toString(), "--k", "3",
        "--seed", "1", "--output", tmp.resolve("a").toString()).ok();
    Gmm.run("fit", "--input", Gmm.writeCsv(tmp.resolve("b.csv"), fx.features(), shifted).toString(), "--k", "3",
        "--seed", "1", "--output", tmp.resolve("b").toString()).ok();
    Mixture a = Gmm.model(tmp.resolve("a"));
    Mixture b = Gmm.model(tmp.resolve("b"));
    // Components come out in the order of the chosen start rows, which the shift does not change.
    assertRelClose(b.weights(), a.weights(), 1e-6, "weights");
    assertRelClose(b.asGaussian().orElseThrow().covarianceValues(), a.asGaussian().orElseThrow().covarianceValues(), 1e-6, "covariances");
  }

  @Test
  void twoBlobsInSixtyDimensionsAreSeparated() {
    int d = 60;
    double[][] data = twoBlobs(d);
    List<String> names = names(d);
    Path csv = Gmm.writeCsv(tmp.resolve("blobs.csv"), names, data);
    // What is tested is the numerics (log space), not the start: begin from one row of each blob with
    // unit covariances, where linear-space densities (about e^-30 each) fall under MLlib's floor.
    for (CovarianceType type : CovarianceType.values()) {
      double[] cov = new double[org.sparkgmm.distribution.Gaussians.covarianceLength(type, 2, d)];
      switch (type) {
        case FULL -> { for (int c = 0; c < 2; c++) { for (int j = 0; j < d; j++) { cov[c * d * d + j * d + j] = 1; } } }
        case TIED -> { for (int j = 0; j < d; j++) { cov[j * d + j] = 1; } }
        default -> java.util.Arrays.fill(cov, 1.0);
      }
      Mixture start = Mixture.gaussian(new double[] {0.5, 0.5},
          org.sparkgmm.distribution.Gaussians.of(type, new double[][] {data[0], data[1]}, cov), names);
      Path startFile = tmp.resolve("start-" + type + ".json");
      try {
        java.nio.file.Files.writeString(startFile, org.sparkgmm.model.ModelJson.write(start));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Path out = tmp.resolve(type.externalName());
      Gmm.run("fit", "--input", csv.toString(), "--init-model", startFile.toString(),
          "--output", out.toString()).ok();
      Mixture m = Gmm.model(out);
      double[][] means = m.means();
      double dist = 0.0;
      for (int j = 0; j < d; j++) {
        dist += (means[0][j] - means[1][j]) * (means[0][j] - means[1][j]);
      }
      assertThat(Math.sqrt(dist)).as(type + " distance between means").isBetween(9.0, 11.0);
      for (double w : m.weights()) {
        assertThat(w).as(type + " weight").isBetween(0.45, 0.55);
      }
    }
  }

  /**
   * 600 rows in d dimensions, alternating between two unit-variance blobs whose means are 10 apart
   * (the odd rows are shifted by {@code 10 / sqrt(d)} in every feature).
   */
  static double[][] twoBlobs(int d) {
    Random random = new Random(8);
    double[][] data = new double[600][d];
    for (int i = 0; i < data.length; i++) {
      for (int j = 0; j < d; j++) {
        data[i][j] = random.nextGaussian() + (i % 2 == 0 ? 0.0 : 10.0 / Math.sqrt(d));
      }
    }
    return data;
  }

  /** Feature names x0..x(d-1). */
  static List<String> names(int d) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("x" + j);
    }
    return names;
  }

  static void assertSameModel(Mixture a, Mixture b, double rel, String what) {
    assertRelClose(a.weights(), b.weights(), rel, what + " weights");
    assertRelClose(flat(a.means()), flat(b.means()), rel, what + " means");
    assertRelClose(a.asGaussian().orElseThrow().covarianceValues(), b.asGaussian().orElseThrow().covarianceValues(), rel, what + " covariances");
  }
}
