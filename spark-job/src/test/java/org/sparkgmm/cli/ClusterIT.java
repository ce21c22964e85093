package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.Factor;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.Launcher;
import org.sparkgmm.testing.StandaloneCluster;

/**
 * A real standalone cluster (Master, Worker and executor JVMs on loopback, from pip's Spark
 * distribution): the job submitted through {@code submit-scripts/gmm --master spark://...} as a user
 * would, through the distribution's spark-submit (SPARK_HOME set) and, on a machine without Spark
 * installed, through Spark's SparkSubmit from the Maven classpath. The Airflow DAGs run against such
 * a cluster in AirflowIT.
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = StandaloneCluster.start(tmp.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The same fit embedded, submitted through the distribution's {@code bin/spark-submit} (what
   * {@code gmm} runs when SPARK_HOME is set), and submitted without SPARK_HOME (Spark's SparkSubmit
   * from the Maven classpath): the same model to 1e-9.
   */
  @Test
  void submittedToTheClusterGivesTheEmbeddedModel() throws Exception {
    Path logs = tmp.resolve("logs-submit");
    Path embedded = tmp.resolve("embedded");
    List<String> fit = List.of("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(),
        "--k", "3", "--seed", "4");
    Launcher.gmm(logs, Map.of(), concat(fit, "--output", embedded.toString())).ok();
    Map<String, Map<String, String>> ways = Map.of(
        "distribution", cluster.environment(),
        "maven-classpath", Map.of("SPARK_LOCAL_IP", "127.0.0.1"));
    for (var way : ways.entrySet()) {
      Path submitted = tmp.resolve("submitted-" + way.getKey());
      String[] args = concat(List.of("--master", cluster.masterUrl()), concat(fit, "--output", submitted.toString()));
      String command = Launcher.gmm(logs, way.getValue(), concat(List.of("--dry-run"), args)).ok().stdout();
      if (way.getKey().equals("distribution")) {
        assertThat(command).as("the distribution's spark-submit").startsWith(
            cluster.sparkHome().resolve("bin/spark-submit").toString());
      } else {
        assertThat(command).as("SparkSubmit from the Maven classpath").contains("org.apache.spark.deploy.SparkSubmit");
      }
      Launcher.Result r = Launcher.gmm(logs, way.getValue(), args);
      assertThat(r.status()).as("%s, stderr:\n%s\n%s", way.getKey(), r.stderr(), cluster.logs()).isZero();
      assertThat(Gmm.metrics(submitted).get("spark_master").asText()).isEqualTo(cluster.masterUrl());

      Mixture a = Gmm.model(submitted);
      Mixture b = Gmm.model(embedded);
      assertRelClose(a.weights(), b.weights(), SUMMATION_ORDER, way.getKey() + " weights");
      assertRelClose(flat(a.means()), flat(b.means()), SUMMATION_ORDER, way.getKey() + " means");
      assertRelClose(a.asGaussian().orElseThrow().covarianceValues(), b.asGaussian().orElseThrow().covarianceValues(),
          SUMMATION_ORDER, way.getKey() + " covariances");
      assertThat(Gmm.metrics(submitted).get("log_likelihood").asDouble())
          .isCloseTo(Gmm.metrics(embedded).get("log_likelihood").asDouble(),
              org.assertj.core.data.Percentage.withPercentage(100 * SUMMATION_ORDER));
    }
    JsonNode apps = JSON.readTree(cluster.status()).get("completedapps");
    assertThat(apps.findValuesAsText("name")).as("the cluster ran both").filteredOn("spark-gmm fit"::equals).hasSize(2);
  }

  /**
   * An executor JVM killed with SIGKILL in the middle of a fit: Spark runs the lost tasks again on a
   * new executor (rebuilding the lost cached blocks from the input), the job succeeds, the model
   * equals an undisturbed run's, and the row counts count every row once.
   */
  @Test
  void anExecutorKilledMidFitChangesNothing() throws Exception {
    Path logs = tmp.resolve("logs-executor-kill");
    Path data = Gmm.writeCsv(tmp.resolve("kill-data.csv"), List.of("x0", "x1", "x2", "x3"),
        MissingFixtures.threeGaussians().sample(600_000, 9));
    List<String> fit = List.of("--master", cluster.masterUrl(), "fit", "--input", data.toString(), "--k", "3",
        "--tol", "0", "--max-iter", "30", "--partitions", "8", "--no-report");
    Path undisturbed = tmp.resolve("undisturbed");
    Launcher.gmm(logs, cluster.environment(), concat(fit, "--output", undisturbed.toString())).ok();

    Path disturbed = tmp.resolve("disturbed");
    Launcher.Running driver = Launcher.startGmm(logs, cluster.environment(),
        concat(fit, "--output", disturbed.toString()));
    List<ProcessHandle> killed;
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
      while (!driver.stderr().contains("iter   3 ") && driver.process().isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(driver.stderr()).as("iteration 3 ran").contains("iter   3 ");
      killed = cluster.executors();
      assertThat(killed).as("the executor JVM").isNotEmpty();
      killed.forEach(ProcessHandle::destroyForcibly);
      assertThat(driver.process().waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    } finally {
      driver.kill();
    }
    Launcher.Result r = driver.result();
    assertThat(r.status()).as("stderr:\n%s\n%s", r.stderr(), cluster.logs()).isZero();
    assertThat(r.stderr()).as("Spark saw the executor go").containsPattern("Lost executor \\d+|ExecutorLostFailure");
    assertThat(cluster.executors()).as("the dead executor is gone").noneMatch(killed::contains);

    JsonNode m = Gmm.metrics(disturbed);
    assertThat(m.get("n_rows").asLong()).isEqualTo(600_000L);
    assertThat(m.get("n_iter").asInt()).isEqualTo(30);
    Mixture a = Gmm.model(disturbed);
    Mixture b = Gmm.model(undisturbed);
    assertRelClose(a.weights(), b.weights(), SUMMATION_ORDER, "weights");
    assertRelClose(flat(a.means()), flat(b.means()), SUMMATION_ORDER, "means");
    assertRelClose(a.asGaussian().orElseThrow().covarianceValues(), b.asGaussian().orElseThrow().covarianceValues(),
        SUMMATION_ORDER, "covariances");
  }

  /**
   * A table of about three times the executor's memory (one 512 MiB executor; 6M rows x 32 doubles
   * are 1.43 GiB packed, more as Parquet rows): {@code --storage none} reads the input again every
   * pass, {@code memory-and-disk} spills what does not fit to the executor's disk, and both end in
   * the same model.
   */
  @Test
  void aTableThreeTimesTheExecutorMemoryFitsUncachedOrSpilled() throws Exception {
    Path logs = tmp.resolve("logs-large");
    int d = 32;
    long n = 6_000_000L;
    List<String> names = new ArrayList<>();
    double[] zero = new double[d];
    double[] two = new double[d];
    double[][] identity = new double[d][d];
    for (int j = 0; j < d; j++) {
      names.add("x" + j);
      two[j] = 2.0;
      identity[j][j] = 1.0;
    }
    Mixture truth = Mixture.ofComponents(new double[] {0.6, 0.4}, List.of(
        Component.of(Factor.gaussian(zero, identity)), Component.of(Factor.gaussian(two, identity))), names);
    Path truthFile = tmp.resolve("truth.json");
    Files.writeString(truthFile, ModelJson.write(truth));
    Path table = tmp.resolve("large");
    List<String> onCluster = List.of("--master", cluster.masterUrl(), "--executor-memory", "512m");
    // 48 files of 32 MiB: Parquet reads a whole row group (one per file here) into the heap, and two concurrent
    // tasks reading 128 MiB groups beside the cached blocks ran a 512m executor out of heap in CI.
    Launcher.gmm(logs, cluster.environment(), concat(onCluster, "sample", "--model", truthFile.toString(), "--n",
        Long.toString(n), "--partitions", "48", "--output", table.toString())).ok();

    // One start (--n-init 1): the test is about storage, and ten small-EM starts at d = 32 made the uncached fit,
    // which reads the table on every pass, outrun the launcher's 5-minute limit on a slower CI machine.
    Map<String, Mixture> models = new HashMap<>();
    for (String storage : List.of("none", "memory-and-disk")) {
      Path out = tmp.resolve("large-" + storage);
      Launcher.Result r = Launcher.gmm(logs, cluster.environment(), concat(onCluster, "fit", "--input",
          table.resolve("sample").toString(), "--features", String.join(",", names), "--k", "2", "--n-init", "1",
          "--init-iter", "1", "--max-iter", "3", "--tol", "0", "--no-report", "--storage", storage, "--output",
          out.toString()));
      assertThat(r.status()).as("stderr:\n%s\n%s", r.stderr(), cluster.logs()).isZero();
      assertThat(r.stderr()).contains("fit: storage " + storage);
      r.stderr().lines().filter(l -> l.startsWith("fit:")).forEach(System.out::println);
      JsonNode m = Gmm.metrics(out);
      assertThat(m.get("n_rows").asLong()).isEqualTo(n);
      assertThat(m.get("storage").asText()).isEqualTo(storage);
      if (storage.equals("none")) {
        assertThat(m.has("cache")).isFalse();
      } else {
        JsonNode cache = m.get("cache");
        long packed = n * d * Double.BYTES;
        assertThat(cache.get("memory_bytes").asLong()).as("held in memory").isLessThan(512L << 20);
        assertThat(cache.get("disk_bytes").asLong()).as("spilled to disk").isGreaterThan(packed / 2);
        assertThat(r.stderr()).containsPattern("partitions cached: [0-9.]+ MiB in memory, [0-9.]+ GiB on disk");
      }
      models.put(storage, Gmm.model(out));
    }
    StepwiseEmIT.assertSameModel(models.get("none"), models.get("memory-and-disk"), 1e-12);
    Mixture fitted = models.get("none");
    int big = fitted.weights()[0] > 0.5 ? 0 : 1;
    assertThat(fitted.weights()[big]).isCloseTo(0.6, within(2e-3));
    for (double v : fitted.means()[1 - big]) {
      assertThat(v).isCloseTo(2.0, within(0.01));
    }
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }
}
