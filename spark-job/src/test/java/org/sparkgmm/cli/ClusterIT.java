package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.sparkgmm.model.Mixture;
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
