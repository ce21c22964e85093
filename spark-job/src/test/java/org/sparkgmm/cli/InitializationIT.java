package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.JobCounter;
import org.sparkgmm.testing.SklearnFixture;

/** The default start (k-means||) finds the right answer where MLlib's and a single random start do not. */
class InitializationIT {
  @TempDir
  Path tmp;

  @Test
  void twoOneDimensionalClustersAreBothFoundForEverySeed() {
    Random random = new Random(1);
    double[][] data = new double[1000][1];
    for (int i = 0; i < data.length; i++) {
      data[i][0] = random.nextGaussian() + (i < 500 ? 0.0 : 10.0);
    }
    Path csv = Gmm.writeCsv(tmp.resolve("oned.csv"), List.of("x"), data);
    for (int seed = 1; seed <= 10; seed++) {
      Path out = tmp.resolve("s" + seed);
      Gmm.run("fit", "--input", csv.toString(), "--k", "2", "--seed", String.valueOf(seed), "--output",
          out.toString()).ok();
      double[] means = sortedFirstCoordinates(Gmm.model(out));
      assertThat(means[0]).as("seed %d: lower mean", seed).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.1));
      assertThat(means[1]).as("seed %d: upper mean", seed).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.1));
    }
  }

  @Test
  void twoBlobsInSixtyDimensionsAreFoundForEverySeed() {
    int d = 60;
    double offset = 10.0 / Math.sqrt(d);
    Path csv = Gmm.writeCsv(tmp.resolve("blobs.csv"), InvarianceIT.names(d), InvarianceIT.twoBlobs(d));
    for (CovarianceType type : CovarianceType.values()) {
      for (int seed = 1; seed <= 10; seed++) {
        Path out = tmp.resolve(type.externalName() + "-s" + seed);
        Gmm.run("fit", "--input", csv.toString(), "--k", "2", "--covariance", type.externalName(), "--seed",
            String.valueOf(seed), "--output", out.toString()).ok();
        Mixture m = Gmm.model(out);
        double[][] means = m.means();
        int low = means[0][0] + means[0][1] < means[1][0] + means[1][1] ? 0 : 1;
        for (int j = 0; j < d; j++) {
          assertThat(means[low][j]).as("%s seed %d: mean of blob 0, x%d", type, seed, j).isBetween(-0.5, 0.5);
          assertThat(means[1 - low][j]).as("%s seed %d: mean of blob 1, x%d", type, seed, j)
              .isBetween(offset - 0.5, offset + 0.5);
        }
        for (double w : m.weights()) {
          assertThat(w).as("%s seed %d: weight", type, seed).isCloseTo(0.5, within(1e-4));
        }
      }
    }
  }

  /**
   * The 15-point 2-D data of Spark's GaussianMixtureSuite ("check against R mvnormalmixEM"), with R
   * mixtools' answer as quoted there: weights 0.4666667 / 0.5333333, means (0.11731091, -0.06192351)
   * and (10.363673, 9.897081), total log-likelihood -46.89499.
   */
  @Test
  void fifteenPointsFromSparksSuiteMatchRForEverySeed() {
    double[][] data = {
        {-0.6264538, 0.1836433}, {-0.8356286, 1.5952808}, {0.3295078, -0.8204684}, {0.4874291, 0.7383247},
        {0.5757814, -0.3053884}, {1.5117812, 0.3898432}, {-0.6212406, -2.2146999}, {11.1249309, 9.9550664},
        {9.9838097, 10.9438362}, {10.8212212, 10.5939013}, {10.9189774, 10.7821363}, {10.0745650, 8.0106483},
        {10.6198257, 9.9438713}, {9.8442045, 8.5292476}, {9.5218499, 10.4179416}};
    Path csv = Gmm.writeCsv(tmp.resolve("r.csv"), List.of("a", "b"), data);
    for (int seed = 1; seed <= 10; seed++) {
      Path out = tmp.resolve("s" + seed);
      Gmm.run("fit", "--input", csv.toString(), "--k", "2", "--seed", String.valueOf(seed), "--tol", "1e-10",
          "--reg-covar", "0", "--output", out.toString()).ok();
      Mixture m = Gmm.model(out);
      int low = m.means()[0][0] < m.means()[1][0] ? 0 : 1;
      assertThat(m.weights()[low]).as("seed %d weight", seed).isCloseTo(0.4666667, within(1e-6));
      assertThat(m.means()[low]).as("seed %d mean", seed).containsExactly(new double[] {0.11731091, -0.06192351},
          within(1e-6));
      assertThat(m.means()[1 - low]).as("seed %d mean", seed).containsExactly(new double[] {10.363673, 9.897081},
          within(1e-5));
      assertThat(m.asGaussian().orElseThrow().covarianceMatrix(low)[0]).as("seed %d covariance", seed)
          .containsExactly(new double[] {0.62049934, 0.06880802}, within(1e-6));
      assertThat(m.asGaussian().orElseThrow().covarianceMatrix(1 - low)[1]).as("seed %d covariance", seed)
          .containsExactly(new double[] {0.1607830, 1.008878}, within(1e-5));
      assertThat(Gmm.metrics(out).get("log_likelihood").asDouble()).as("seed %d log-likelihood", seed)
          .isCloseTo(-46.89499, within(1e-5));
    }
  }

  /**
   * The default fit (10 starts seeded in whitened coordinates, small-EM) reaches scikit-learn's best
   * of 10 k-means starts minus 1e-3 per row, for every covariance type, on six data sets (values:
   * {@code init/make_init_reference.py}). On digits, whose border pixels are (nearly) constant, the
   * comparison is made with scikit-learn's own objective, {@code --reg-covar-scale absolute}: there
   * a reg_covar relative to a pixel's tiny variance gives a far higher likelihood that says nothing
   * about the optimum found.
   */
  @ParameterizedTest
  @ValueSource(strings = {"iris", "faithful", "synthetic10k8", "wine", "breast_cancer", "digits"})
  void theDefaultFitIsAsGoodAsScikitLearnsBestOfTen(String name) {
    JsonNode fx = fixture(name);
    Path csv = fixtureCsv(fx, name + ".csv");
    int k = fx.get("n_components").asInt();
    for (CovarianceType type : CovarianceType.values()) {
      Path out = tmp.resolve(name + "-" + type.externalName());
      Gmm.run("fit", "--input", csv.toString(), "--k", String.valueOf(k), "--covariance", type.externalName(),
          "--reg-covar-scale", name.equals("digits") ? "absolute" : "data", "--no-report", "--output",
          out.toString()).ok();
      double ours = Gmm.metrics(out).get("mean_log_likelihood").asDouble();
      double sklearn = fx.get("best_of_10").get(type.externalName()).get("score").asDouble();
      assertThat(ours).as("%s %s: our mean log-likelihood vs scikit-learn's best of 10 k-means starts (%s)", name,
          type, sklearn).isGreaterThanOrEqualTo(sklearn - 1e-3);
    }
  }

  /**
   * {@code --init hc} with its 10 default starts (one hierarchical tree each, prior scatters from 3
   * to 1e-4 times the data covariance, each run to convergence) reaches R mclust's fit (its own hierarchical start,
   * {@code init/mclust_reference.R}) minus 1e-3 per row, wherever mclust fits the covariance type.
   */
  @ParameterizedTest
  @ValueSource(strings = {"iris", "faithful", "synthetic10k8", "wine", "breast_cancer", "digits"})
  void theHierarchicalStartIsAsGoodAsMclust(String name) {
    JsonNode fx = fixture(name);
    Path csv = fixtureCsv(fx, name + "-hc.csv");
    int k = fx.get("n_components").asInt();
    for (CovarianceType type : CovarianceType.values()) {
      Path out = tmp.resolve(name + "-hc-" + type.externalName());
      Gmm.run("fit", "--input", csv.toString(), "--k", String.valueOf(k), "--covariance", type.externalName(),
          "--init", "hc", "--reg-covar-scale", name.equals("digits") ? "absolute" : "data", "--no-report",
          "--output", out.toString()).ok();
      double ours = Gmm.metrics(out).get("mean_log_likelihood").asDouble();
      JsonNode mclust = fx.get("mclust").get(type.externalName());
      if (mclust != null && !mclust.isNull()) {
        double theirs = mclust.get("mean_log_likelihood").asDouble();
        assertThat(ours).as("%s %s --init hc vs mclust (%s)", name, type, theirs).isGreaterThanOrEqualTo(theirs - 1e-3);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans-parallel", "kmeans++", "random", "random-from-data", "hc"})
  void everyStartIsIndependentOfPartitioning(String init) {
    JsonNode fx = fixture("synthetic10k8");
    Path csv = fixtureCsv(fx, "data.csv");
    Path config = tmp.resolve("small-blocks.properties");
    try {
      java.nio.file.Files.writeString(config, "gmm.block-rows=100\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Mixture reference = null;
    for (int partitions : new int[] {1, 2, 7}) {
      Path out = tmp.resolve("p" + partitions);
      Gmm.run("fit", "--input", csv.toString(), "--k", "8", "--init", init, "--seed", "11", "--max-iter", "5",
          "--partitions", String.valueOf(partitions), "--config", config.toString(), "--output", out.toString()).ok();
      Mixture m = Gmm.model(out);
      if (reference == null) {
        reference = m;
      } else {
        InvarianceIT.assertSameModel(m, reference, SUMMATION_ORDER, init + " on " + partitions + " partitions");
      }
    }
  }

  /**
   * R starts share every pass: a fit with {@code --n-init 4} scans the data fewer times than four
   * fits, and each of its starts is exactly the fit with that start's seed.
   */
  @Test
  void fourStartsCostFewerPassesThanFourFits() {
    JsonNode fx = fixture("synthetic10k8");
    Path csv = fixtureCsv(fx, "data.csv");
    JobCounter jobs = JobCounter.start();
    int separatePasses = 0;
    int mostPasses = 0;
    long separateJobs = 0;
    List<JsonNode> separate = new ArrayList<>();
    Mixture bestSeparate = null;
    double bestLikelihood = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < 4; r++) {
      Path out = tmp.resolve("seed" + (20 + r));
      long before = jobs.count();
      Gmm.run("fit", "--input", csv.toString(), "--k", "8", "--seed", String.valueOf(20 + r), "--n-init", "1",
          "--output", out.toString()).ok();
      separateJobs += jobs.count() - before;
      JsonNode metrics = Gmm.metrics(out);
      separate.add(metrics);
      separatePasses += metrics.get("data_passes").asInt();
      mostPasses = Math.max(mostPasses, metrics.get("data_passes").asInt());
      if (metrics.get("log_likelihood").asDouble() > bestLikelihood) {
        bestLikelihood = metrics.get("log_likelihood").asDouble();
        bestSeparate = Gmm.model(out);
      }
    }
    Path out = tmp.resolve("n-init");
    long before = jobs.count();
    Gmm.Run run = Gmm.run("fit", "--input", csv.toString(), "--k", "8", "--seed", "20", "--n-init", "4",
        "--small-em-keep", "4", "--output", out.toString()).ok();
    long sharedJobs = jobs.count() - before;
    JsonNode metrics = Gmm.metrics(out);
    int sharedPasses = metrics.get("data_passes").asInt();

    assertThat(sharedPasses).as("passes of --n-init 4 vs four fits (%d)", separatePasses).isLessThan(separatePasses);
    assertThat(sharedPasses).as("passes of --n-init 4: about those of the longest single fit (%d)", mostPasses)
        .isLessThanOrEqualTo(mostPasses + 5);
    assertThat(sharedJobs).as("Spark jobs of --n-init 4 vs four fits (%d)", separateJobs).isLessThan(separateJobs);
    assertThat(metrics.get("n_init").asInt()).isEqualTo(4);
    for (int r = 0; r < 4; r++) {
      JsonNode start = metrics.get("starts").get(r);
      assertThat(start.get("seed").asLong()).isEqualTo(20 + r);
      assertThat(start.get("mean_log_likelihood").asDouble()).as("start %d equals the fit with its seed", r)
          .isCloseTo(separate.get(r).get("mean_log_likelihood").asDouble(), within(1e-9));
      assertThat(start.get("n_iter").asInt()).isEqualTo(separate.get(r).get("n_iter").asInt());
    }
    InvarianceIT.assertSameModel(Gmm.model(out), bestSeparate, SUMMATION_ORDER, "best of 4 starts");
    assertThat(run.err()).contains("(start ").contains("best of 4 running)").contains("fit: best of 4 starts is start");
  }

  /** The fixture's rows as a CSV with its feature names as the header. */
  private Path fixtureCsv(JsonNode fx, String file) {
    return Gmm.writeCsv(tmp.resolve(file), strings(fx.get("features")), SklearnFixture.matrix(fx.get("data")));
  }

  static JsonNode fixture(String name) {
    try (InputStream in = InitializationIT.class.getResourceAsStream("/init/" + name + ".json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static double[] sortedFirstCoordinates(Mixture m) {
    double[] v = new double[m.components()];
    for (int c = 0; c < v.length; c++) {
      v[c] = m.means()[c][0];
    }
    Arrays.sort(v);
    return v;
  }

  private static org.assertj.core.data.Offset<Double> within(double tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }
}
