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
 * A real standalone cluster (Master, Worker and executor JVMs on loopback): the job submitted
 * through {@code submit-scripts/gmm --master spark://...} as a user would, and the Airflow DAG's
 * exact spark-submit command lines.
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Launcher.ROOT.resolve("spark-job/target/spark-gmm-0.1.0-SNAPSHOT.jar");
  private static final Path AIRFLOW = Launcher.ROOT.resolve("submit-scripts/airflow");

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

  @Test
  void submittedToTheClusterGivesTheEmbeddedModel() throws Exception {
    Path logs = tmp.resolve("logs-submit");
    Path embedded = tmp.resolve("embedded");
    Path submitted = tmp.resolve("submitted");
    List<String> fit = List.of("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(),
        "--k", "3", "--seed", "4");
    Launcher.gmm(logs, Map.of(), concat(fit, "--output", embedded.toString())).ok();
    Launcher.Result r = Launcher.gmm(logs, Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
        concat(List.of("--master", cluster.masterUrl()), concat(fit, "--output", submitted.toString())));
    assertThat(r.status()).as("stderr:\n%s\n%s", r.stderr(), cluster.logs()).isZero();

    assertThat(Gmm.metrics(submitted).get("spark_master").asText()).isEqualTo(cluster.masterUrl());
    JsonNode apps = JSON.readTree(cluster.status()).get("completedapps");
    assertThat(apps.findValuesAsText("name")).as("the cluster ran the job").contains("spark-gmm fit");

    Mixture a = Gmm.model(submitted);
    Mixture b = Gmm.model(embedded);
    assertRelClose(a.weights(), b.weights(), SUMMATION_ORDER, "weights");
    assertRelClose(flat(a.means()), flat(b.means()), SUMMATION_ORDER, "means");
    assertRelClose(a.asGaussian().orElseThrow().covarianceValues(), b.asGaussian().orElseThrow().covarianceValues(), SUMMATION_ORDER, "covariances");
    assertThat(Gmm.metrics(submitted).get("log_likelihood").asDouble())
        .isCloseTo(Gmm.metrics(embedded).get("log_likelihood").asDouble(),
            org.assertj.core.data.Percentage.withPercentage(100 * SUMMATION_ORDER));
  }

  @Test
  void airflowDagCompilesAndItsCommandsRunOnTheClusterSafelyRepeated() throws Exception {
    Path logs = tmp.resolve("logs-airflow");
    for (String file : List.of("gmm_daily.py", "gmm_commands.py")) {
      Launcher.run(logs, Map.of(), List.of("/usr/bin/python3", "-c",
          "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
          AIRFLOW.resolve(file).toString(), tmp.resolve(file + "c").toString())).ok();
    }
    Path events = tmp.resolve("events");
    Files.createDirectories(events.resolve("ds=2026-11-21"));
    Files.copy(Launcher.ROOT.resolve("conf/examples/faithful.parquet"), events.resolve("ds=2026-11-21/part-0.parquet"));
    Path outputs = tmp.resolve("gmm");
    Map<String, String> settings = new HashMap<>(Map.of("GMM_INPUT", events + "/ds={{ ds }}",
        "GMM_OUTPUT_ROOT", outputs.toString(), "GMM_JAR", JAR.toString(), "GMM_K", "2"));
    Path day = outputs.resolve("ds=2026-11-21");

    Launcher.Result fit = runTask(logs, settings, "fit", "2026-11-21");
    assertThat(fit.status()).as("stderr:\n%s\n%s", fit.stderr(), cluster.logs()).isZero();
    assertThat(day.resolve("fit/_SUCCESS")).exists();
    Mixture first = Gmm.model(day.resolve("fit"));
    assertThat(first.components()).isEqualTo(2);
    runTask(logs, settings, "predict", "2026-11-21").ok();
    assertThat(day.resolve("predict/_SUCCESS")).exists();
    assertThat(day.resolve("predict/predictions")).isDirectory();

    // What publish_metrics pushes to XCom for downstream tasks.
    Launcher.Result published = Launcher.run(logs, settings, List.of("/usr/bin/python3",
        AIRFLOW.resolve("gmm_commands.py").toString(), "--ds", "2026-11-21", "--master", cluster.masterUrl(),
        "--task", "fit", "--metrics", outputs + "/ds={{ ds }}/fit", outputs + "/ds={{ ds }}/predict")).ok();
    JsonNode metrics = JSON.readTree(published.stdout());
    assertThat(metrics.at("/fit/n_rows").asLong()).isEqualTo(272);
    assertThat(metrics.at("/fit/n_components").asInt()).isEqualTo(2);
    assertThat(metrics.at("/fit/converged").asBoolean()).isTrue();
    assertThat(metrics.at("/predict/n_rows").asLong()).isEqualTo(272);

    // A retry of the same day replaces its output and leaves nothing beside it.
    runTask(logs, settings, "fit", "2026-11-21").ok();
    assertThat(day.resolve("fit/_SUCCESS")).exists();
    assertThat(Gmm.model(day.resolve("fit")).means()).isDeepEqualTo(first.means());
    assertThat(Gmm.listAll(day).stream().map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(".fit.") || n.startsWith(".predict."));

    // A failed attempt never leaves a _SUCCESS, and never touches the day's earlier complete output.
    Map<String, String> tooMany = new HashMap<>(settings);
    tooMany.put("GMM_K", "500");
    Launcher.Result failed = runTask(logs, tooMany, "fit", "2026-11-21");
    assertThat(failed.status()).isNotZero();
    assertThat(failed.stderr()).contains("gmm: Cannot fit 500 components to 272");
    assertThat(Gmm.model(day.resolve("fit")).components()).isEqualTo(2);
    Launcher.Result missing = runTask(logs, settings, "fit", "2026-11-22");
    assertThat(missing.status()).isEqualTo(3);
    assertThat(outputs.resolve("ds=2026-11-22")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(), p -> assertThat(Gmm.listAll(p)).isEmpty());
    assertThat(Gmm.listAll(day).stream().map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(".fit.") || n.startsWith(".predict."));
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
   * gmm_daily_update: the first day has no model before it and fits; the next day's branch takes
   * update, which decays yesterday's evidence by the half-life, writes where fit would, and is what
   * predict and publish_metrics then read.
   */
  @Test
  void airflowDailyUpdateCarriesYesterdaysModelForward() throws Exception {
    Path logs = tmp.resolve("logs-airflow-update");
    Path events = tmp.resolve("events-update");
    for (String ds : List.of("2026-11-21", "2026-11-22")) {
      Files.createDirectories(events.resolve("ds=" + ds));
      Files.copy(Launcher.ROOT.resolve("conf/examples/faithful.parquet"), events.resolve("ds=" + ds + "/part-0.parquet"));
    }
    Path outputs = tmp.resolve("gmm-update");
    Map<String, String> settings = Map.of("GMM_INPUT", events + "/ds={{ ds }}", "GMM_OUTPUT_ROOT", outputs.toString(),
        "GMM_JAR", JAR.toString(), "GMM_K", "2", "GMM_HALF_LIFE", "1");

    assertThat(startTask(logs, settings, "2026-11-21")).isEqualTo("fit");
    Launcher.Result fit = runTask(logs, settings, "fit", "2026-11-21");
    assertThat(fit.status()).as("stderr:\n%s\n%s", fit.stderr(), cluster.logs()).isZero();
    Path first = outputs.resolve("ds=2026-11-21/fit");
    assertThat(ModelJson.effectiveRows(Files.readString(first.resolve(org.sparkgmm.io.ModelStore.MODEL_FILE)), "day 1")).isEqualTo(272.0);

    assertThat(startTask(logs, settings, "2026-11-22")).isEqualTo("update");
    Launcher.Result update = runTask(logs, settings, "update", "2026-11-22");
    assertThat(update.status()).as("stderr:\n%s\n%s", update.stderr(), cluster.logs()).isZero();
    Path second = outputs.resolve("ds=2026-11-22/fit");
    JsonNode u = Gmm.metrics(second).get("update");
    assertThat(u.get("model").asText()).isEqualTo(first.toString());
    assertThat(u.get("decay").asDouble()).isEqualTo(0.5);
    assertThat(u.get("model_rows").asDouble()).isEqualTo(272.0);
    assertThat(u.get("effective_rows").asDouble()).isEqualTo(0.5 * 272 + 272);
    // The same rows again: the converged model barely moves.
    Mixture before = Gmm.model(first);
    Mixture after = Gmm.model(second);
    assertThat(after.weights()).containsExactly(before.weights(), within(1e-4));
    assertRelClose(flat(after.means()), flat(before.means()), 1e-4, "means");
    assertThat(ModelJson.effectiveRows(Files.readString(second.resolve(org.sparkgmm.io.ModelStore.MODEL_FILE)), "day 2")).isEqualTo(408.0);

    runTask(logs, settings, "predict", "2026-11-22").ok();
    JsonNode published = JSON.readTree(Launcher.run(logs, settings, List.of("/usr/bin/python3",
        AIRFLOW.resolve("gmm_commands.py").toString(), "--ds", "2026-11-22", "--master", cluster.masterUrl(),
        "--task", "fit", "--metrics", outputs + "/ds={{ ds }}/fit", outputs + "/ds={{ ds }}/predict")).ok().stdout());
    assertThat(published.at("/fit/command").asText()).isEqualTo("update");
    assertThat(published.at("/fit/update/effective_rows").asDouble()).isEqualTo(408.0);
    assertThat(published.at("/predict/n_rows").asLong()).isEqualTo(272);
  }

  /** What gmm_daily_update's start branch chooses for day {@code ds}. */
  private static String startTask(Path logs, Map<String, String> settings, String ds) {
    return Launcher.run(logs, settings, List.of("/usr/bin/python3", AIRFLOW.resolve("gmm_commands.py").toString(),
        "--ds", ds, "--master", cluster.masterUrl(), "--task", "start")).ok().stdout().trim();
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
    Launcher.gmm(logs, cluster.environment(), concat(onCluster, "sample", "--model", truthFile.toString(), "--n",
        Long.toString(n), "--partitions", "12", "--output", table.toString())).ok();

    Map<String, Mixture> models = new HashMap<>();
    for (String storage : List.of("none", "memory-and-disk")) {
      Path out = tmp.resolve("large-" + storage);
      Launcher.Result r = Launcher.gmm(logs, cluster.environment(), concat(onCluster, "fit", "--input",
          table.resolve("sample").toString(), "--features", String.join(",", names), "--k", "2", "--init-iter", "1",
          "--max-iter", "3", "--tol", "0", "--no-report", "--storage", storage, "--output", out.toString()));
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

  /** The exact command the DAG's task runs for day {@code ds}, built by the DAG's own module, run as is. */
  private static Launcher.Result runTask(Path logs, Map<String, String> settings, String task, String ds)
      throws Exception {
    Launcher.Result argv = Launcher.run(logs, settings, List.of("/usr/bin/python3",
        AIRFLOW.resolve("gmm_commands.py").toString(), "--ds", ds, "--master", cluster.masterUrl(), "--task", task,
        "--spark-submit", cluster.sparkHome().resolve("bin/spark-submit").toString())).ok();
    List<String> command = new ArrayList<>();
    JSON.readTree(argv.stdout()).forEach(n -> command.add(n.asText()));
    assertThat(command).containsSubsequence("--master", cluster.masterUrl())
        .containsSubsequence("--class", "org.sparkgmm.cli.Main", JAR.toString(), task)
        .contains("--overwrite");
    return Launcher.run(logs, cluster.environment(), command);
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }
}
