package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SharedSpark;

/** Stepwise EM ({@code --batch-size}) and {@code --storage} through the command line. */
class StepwiseEmIT {
  private static final List<String> X4 = List.of("x0", "x1", "x2", "x3");

  @TempDir
  Path tmp;

  private Path data(int n) {
    return Gmm.writeCsv(tmp.resolve("data.csv"), X4, MissingFixtures.threeGaussians().sample(n, 21));
  }

  static void assertSameModel(Mixture a, Mixture b, double tol) {
    assertThat(a.weights()).containsExactly(b.weights(), within(tol));
    Gaussians ga = a.asGaussian().orElseThrow();
    Gaussians gb = b.asGaussian().orElseThrow();
    assertThat(ga.covarianceValues()).containsExactly(gb.covarianceValues(), within(tol));
    for (int c = 0; c < a.components(); c++) {
      assertThat(ga.mean(c)).containsExactly(gb.mean(c), within(tol));
    }
  }

  /** Tasks of every stage whose job is a stepwise step. */
  static final class StepTasks extends SparkListener {
    final List<Integer> tasks = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
      if (d != null && d.startsWith("stepwise EM step")) {
        tasks.add(e.stageInfo().numTasks());
      }
    }
  }

  /**
   * 20 batches: each step reads only its batch's partitions (2 tasks of 40), the fit lands within
   * 1e-3 of batch EM's mean log-likelihood, and says what it did. (That it reads fewer rows than
   * batch EM on overlapping components is {@code StepwiseEmTest}'s 4M-row test; these clusters are
   * so well separated that batch EM converges in a few passes.)
   */
  @Test
  void stepsTouchOnlyTheirBatchAndReachTheBatchOptimum() throws Exception {
    Path data = data(40_000);
    Path batch = tmp.resolve("batch");
    Gmm.run("fit", "--input", data.toString(), "--k", "3", "--tol", "1e-7", "--max-iter", "300", "--output",
        batch.toString()).ok();
    StepTasks listener = new StepTasks();
    SharedSpark.session().sparkContext().addSparkListener(listener);
    Path online = tmp.resolve("online");
    Gmm.Run run;
    try {
      run = Gmm.run("fit", "--input", data.toString(), "--k", "3", "--batch-size", "0.05", "--epochs", "3",
          "--output", online.toString()).ok();
      SharedSpark.session().sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      SharedSpark.session().sparkContext().removeSparkListener(listener);
    }
    assertThat(run.err()).contains("fit: stepwise EM over 20 batches").contains("gamma")
        .contains("batch mean log-likelihood");
    JsonNode m = Gmm.metrics(online);
    JsonNode o = m.get("online");
    assertThat(o.get("batches").asInt()).isEqualTo(20);
    assertThat(listener.tasks).hasSize(o.get("steps").asInt()).allSatisfy(t -> assertThat(t).isEqualTo(2));
    JsonNode b = Gmm.metrics(batch);
    // Every epoch reads every row once, then one scoring pass (rows read are counted, not estimated).
    assertThat(o.get("rows_visited").asLong()).isEqualTo((o.get("epochs").asLong() + 1) * 40_000);
    assertThat(m.get("mean_log_likelihood").asDouble()).isGreaterThan(b.get("mean_log_likelihood").asDouble() - 1e-3);
    assertThat(m.get("storage").asText()).isEqualTo("memory-and-disk");
  }

  /** Which rows form a batch does not depend on the partitioning. */
  @Test
  void batchesDoNotDependOnPartitioning() throws Exception {
    Path data = data(20_000);
    Path one = tmp.resolve("one");
    Path five = tmp.resolve("five");
    Gmm.run("fit", "--input", data.toString(), "--k", "3", "--batch-size", "2000", "--partitions", "1", "--output",
        one.toString()).ok();
    Gmm.run("fit", "--input", data.toString(), "--k", "3", "--batch-size", "2000", "--partitions", "5", "--output",
        five.toString()).ok();
    assertSameModel(Gmm.model(one), Gmm.model(five), 1e-9);
    assertThat(Gmm.metrics(one).get("online").get("batches").asInt()).isEqualTo(10);
  }

  /** kappa 0 with one batch holding every row is batch EM, and not caching gives the cached model. */
  @Test
  void stepSizeOneOnOneBatchIsBatchEmAndStorageChangesNothing() throws Exception {
    Path data = data(10_000);
    Path batch = tmp.resolve("batch");
    Path online = tmp.resolve("online");
    Path uncached = tmp.resolve("uncached");
    Gmm.run("fit", "--input", data.toString(), "--k", "3", "--tol", "0", "--max-iter", "12", "--output",
        batch.toString()).ok();
    Gmm.run("fit", "--input", data.toString(), "--k", "3", "--tol", "0", "--batch-size", "100000", "--kappa", "0",
        "--epochs", "12", "--output", online.toString()).ok();
    assertThat(Gmm.metrics(online).get("online").get("steps").asInt()).isEqualTo(12);
    assertSameModel(Gmm.model(online), Gmm.model(batch), 1e-12);
    Gmm.Run none = Gmm.run("fit", "--input", data.toString(), "--k", "3", "--tol", "0", "--max-iter", "12",
        "--storage", "none", "--output", uncached.toString()).ok();
    assertThat(none.err()).contains("storage none");
    assertThat(Gmm.metrics(uncached).get("storage").asText()).isEqualTo("none");
    assertSameModel(Gmm.model(uncached), Gmm.model(batch), 1e-12);
  }

  @Test
  void badSettingsAreUsageErrors() {
    Path data = data(1000);
    Gmm.Run select = Gmm.run("select", "--input", data.toString(), "--k", "1..3", "--batch-size", "0.1", "--output",
        tmp.resolve("s").toString());
    assertThat(select.status()).isEqualTo(2);
    assertThat(select.err()).contains("--batch-size");
    Gmm.Run kappa = Gmm.run("fit", "--input", data.toString(), "--k", "2", "--batch-size", "0.1", "--kappa", "2",
        "--output", tmp.resolve("k").toString());
    assertThat(kappa.status()).isEqualTo(2);
    assertThat(kappa.err()).contains("--kappa");
    Gmm.Run size = Gmm.run("fit", "--input", data.toString(), "--k", "2", "--batch-size", "2.5", "--output",
        tmp.resolve("b").toString());
    assertThat(size.status()).isEqualTo(2);
    Gmm.Run storage = Gmm.run("fit", "--input", data.toString(), "--k", "2", "--storage", "tape", "--output",
        tmp.resolve("t").toString());
    assertThat(storage.status()).isEqualTo(2);
    assertThat(storage.err()).contains("--storage");
    assertThat(Gmm.listAll(tmp.resolve("s"))).isEmpty();
    assertThat(Gmm.listAll(tmp.resolve("t"))).isEmpty();
  }
}
