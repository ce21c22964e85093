package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.JobCounter;
import org.sparkgmm.testing.SklearnFixture;

/** What the user can steer inside EM: labels, the parameters that move, and collapsed components. */
class EmControlsIT {
  @TempDir
  Path tmp;

  /**
   * Two strongly overlapping components (means 0.5 apart, opposite correlations) and a far one.
   * Without labels EM misplaces the overlapping pair; with 5% of rows labelled it recovers them.
   */
  @Test
  void oneProgressLinePerIterationOnStderrAndJobDescriptionsForTheSparkUi() {
    Path out = tmp.resolve("progress");
    JobCounter jobs = JobCounter.start();
    Gmm.Run run;
    try {
      run = Gmm.run("fit", "--input", Path.of(System.getProperty("user.dir")).getParent()
          .resolve("conf/examples/faithful.csv").toString(), "--k", "2", "--max-iter", "50", "--output", out.toString())
          .ok();
    } finally {
      jobs.stop();
    }
    int iterations = Gmm.metrics(out).get("n_iter").asInt();
    assertThat(run.out()).as("stdout stays free for data").isEmpty();
    assertThat(run.err().lines().filter(l -> l.matches("iter +\\d+  mean log-likelihood .*"))).hasSize(iterations);
    List<String> descriptions = jobs.descriptions();
    for (int i = 1; i <= iterations; i++) {
      assertThat(descriptions).contains("EM iteration " + i + "/50");
    }
    assertThat(descriptions).contains("init: first centre", "init: k-means|| round 1", "report: sample of rows");
  }

  @Test
  void fivePercentLabelsRecoverOverlappingComponents() throws IOException {
    double[][] truth = {{0.0, 0.0}, {0.5, 0.0}, {6.0, 6.0}};
    double[] correlation = {0.5, -0.5, 0.0};
    Random random = new Random(4);
    List<String> lines = new ArrayList<>(List.of("x,y,label"));
    int labelled = 0;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 4000; i++) {
        double z1 = random.nextGaussian();
        double z2 = random.nextGaussian();
        double x = truth[c][0] + z1;
        double y = truth[c][1] + correlation[c] * z1 + Math.sqrt(1 - correlation[c] * correlation[c]) * z2;
        boolean known = random.nextDouble() < 0.05;
        labelled += known ? 1 : 0;
        lines.add(x + "," + y + "," + (known ? "comp" + c : ""));
      }
    }
    Path csv = Files.write(tmp.resolve("overlap.csv"), lines);

    Path free = tmp.resolve("free");
    Gmm.run("fit", "--input", csv.toString(), "--features", "x,y", "--k", "3", "--output", free.toString()).ok();
    assertThat(worstMeanError(Gmm.model(free), truth)).as("premise: unsupervised EM mixes the overlapping pair")
        .isGreaterThan(0.1);

    Path out = tmp.resolve("labelled");
    Gmm.Run run = Gmm.run("fit", "--input", csv.toString(), "--features", "x,y", "--label-col", "label",
        "--output", out.toString()).ok();
    Mixture m = Gmm.model(out);
    JsonNode metrics = Gmm.metrics(out);
    assertThat(metrics.get("labels").toString()).isEqualTo("[\"comp0\",\"comp1\",\"comp2\"]");
    assertThat(metrics.get("labelled_rows").asLong()).isEqualTo(labelled);
    assertThat(metrics.get("init").asText()).isEqualTo("labels");
    assertThat(run.err()).contains("(" + labelled + " labelled)");
    // Component c is label "comp<c>": compare in place, no matching needed.
    for (int c = 0; c < 3; c++) {
      assertThat(m.means()[c][0]).as("component %d x", c).isCloseTo(truth[c][0], offset(0.1));
      assertThat(m.means()[c][1]).as("component %d y", c).isCloseTo(truth[c][1], offset(0.1));
    }
  }

  @Test
  void nanInANumericLabelColumnMeansUnlabelled() throws IOException {
    List<String> lines = new ArrayList<>(List.of("x,label"));
    Random random = new Random(2);
    for (int i = 0; i < 200; i++) {
      int c = i % 2;
      lines.add((c * 10 + random.nextGaussian()) + "," + (i % 10 < 2 ? c + ".0" : "NaN"));
    }
    Path csv = Files.write(tmp.resolve("nan-labels.csv"), lines);
    Path out = tmp.resolve("out");
    Gmm.run("fit", "--input", csv.toString(), "--features", "x", "--label-col", "label", "--output",
        out.toString()).ok();
    JsonNode metrics = Gmm.metrics(out);
    assertThat(metrics.get("labels").toString()).isEqualTo("[\"0.0\",\"1.0\"]");
    assertThat(metrics.get("labelled_rows").asLong()).isEqualTo(40);
    Mixture m = Gmm.model(out);
    assertThat(m.means()[0][0]).isCloseTo(0.0, offset(0.3));
    assertThat(m.means()[1][0]).isCloseTo(10.0, offset(0.3));
  }

  @Test
  void onlyTheChosenParametersMove() throws IOException {
    SklearnFixture fx = SklearnFixture.load("faithful");
    Path csv = Gmm.writeCsv(tmp.resolve("faithful.csv"), fx.features(), fx.data());
    Mixture start = fx.initialModel(CovarianceType.FULL);
    Path startFile = Files.writeString(tmp.resolve("start.json"), ModelJson.write(start));
    for (String update : new String[] {"w", "m", "c", "wm", "mc"}) {
      Path out = tmp.resolve("u-" + update);
      Gmm.run("fit", "--input", csv.toString(), "--init-model", startFile.toString(), "--update", update,
          "--max-iter", "10", "--output", out.toString()).ok();
      Mixture m = Gmm.model(out);
      assertMoved(update.contains("w"), m.weights(), start.weights(), update + " weights");
      assertMoved(update.contains("m"), org.sparkgmm.testing.Tolerances.flat(m.means()),
          org.sparkgmm.testing.Tolerances.flat(start.means()), update + " means");
      assertMoved(update.contains("c"), m.asGaussian().orElseThrow().covarianceValues(), start.asGaussian().orElseThrow().covarianceValues(),
          update + " covariances");
      assertThat(Gmm.metrics(out).get("update").asText()).isEqualTo(update);
    }
  }

  private static void assertMoved(boolean moves, double[] actual, double[] start, String what) {
    if (moves) {
      assertThat(actual).as(what + " should have moved").isNotEqualTo(start);
    } else {
      assertThat(actual).as(what + " should be held").containsExactly(start);
    }
  }

  @Test
  void aCollapsedComponentIsReseededAndReported() throws IOException {
    SklearnFixture fx = SklearnFixture.load("faithful");
    Path csv = Gmm.writeCsv(tmp.resolve("faithful.csv"), fx.features(), fx.data());
    // A third component far from every row gets no responsibility at the first E-step.
    double[][] means = {{2.0, 55.0}, {4.3, 80.0}, {1000.0, -1000.0}};
    double[] cov = new double[3 * 4];
    for (int c = 0; c < 3; c++) {
      cov[c * 4] = 0.2;
      cov[c * 4 + 3] = 30.0;
    }
    Mixture start = Mixture.gaussian(new double[] {0.4, 0.4, 0.2},
        Gaussians.of(CovarianceType.FULL, means, cov), fx.features());
    Path startFile = Files.writeString(tmp.resolve("start.json"), ModelJson.write(start));
    Path out = tmp.resolve("out");
    Gmm.Run run = Gmm.run("fit", "--input", csv.toString(), "--init-model", startFile.toString(), "--output",
        out.toString()).ok();
    assertThat(run.err()).contains("iter   1  component 2 collapsed (weight 0.00): re-seeded at the worst-explained row");
    JsonNode reseeds = Gmm.metrics(out).get("reseeds");
    assertThat(reseeds).hasSize(1);
    assertThat(reseeds.get(0).get("iteration").asInt()).isEqualTo(1);
    assertThat(reseeds.get(0).get("component").asInt()).isEqualTo(2);
    Mixture m = Gmm.model(out);
    for (int c = 0; c < 3; c++) {
      assertThat(m.weights()[c]).as("weight %d", c).isGreaterThan(0.01);
      assertThat(m.means()[c][1]).as("mean %d waiting", c).isBetween(40.0, 100.0);
    }
  }

  private static double worstMeanError(Mixture m, double[][] truth) {
    double worst = 0.0;
    for (double[] t : truth) {
      double best = Double.POSITIVE_INFINITY;
      for (double[] mean : m.means()) {
        best = Math.min(best, Math.max(Math.abs(mean[0] - t[0]), Math.abs(mean[1] - t[1])));
      }
      worst = Math.max(worst, best);
    }
    return worst;
  }
}
