package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.Launcher;
import org.sparkgmm.testing.PythonEnv;
import org.sparkgmm.testing.StandaloneCluster;

/**
 * The DAGs of {@code submit-scripts/airflow} run by a real Apache Airflow ({@code airflow dags test},
 * the pinned environment of {@code .ci/python-env airflow}, a SQLite metadata database): the real
 * SparkSubmitOperator runs {@code spark-submit} of a real Spark distribution (pip's pyspark, on the
 * PATH, as the provider requires) against a standalone cluster started from the same distribution.
 * What Airflow recorded (task states, tries, the XCom) is read back from its database.
 */
class AirflowIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  private static StandaloneCluster cluster;
  private static Path airflowHome;

  @BeforeAll
  static void start() throws Exception {
    cluster = StandaloneCluster.start(tmp.resolve("cluster"));
    airflowHome = tmp.resolve("airflow");
    Path dags = Files.createDirectories(airflowHome.resolve("dags"));
    // As the README says: both files into the dags folder.
    for (String file : List.of("gmm_daily.py", "gmm_commands.py")) {
      Files.copy(Launcher.ROOT.resolve("submit-scripts/airflow/" + file), dags.resolve(file));
    }
    Launcher.run(tmp.resolve("logs"), environment(Map.of()), List.of(airflow().toString(), "db", "migrate")).ok();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path airflow() {
    return PythonEnv.dir("airflow").resolve("bin/airflow");
  }

  /** Airflow's settings, the Spark connection to the cluster, the distribution's spark-submit on the PATH, and the DAG's. */
  private static Map<String, String> environment(Map<String, String> gmm) {
    Map<String, String> env = new HashMap<>(cluster.environment());
    String port = cluster.masterUrl().substring(cluster.masterUrl().lastIndexOf(':') + 1);
    env.putAll(Map.of("AIRFLOW_HOME", airflowHome.toString(),
        "AIRFLOW__CORE__DAGS_FOLDER", airflowHome.resolve("dags").toString(),
        "AIRFLOW__CORE__LOAD_EXAMPLES", "False",
        "AIRFLOW_CONN_SPARK_DEFAULT", "{\"conn_type\": \"spark\", \"host\": \"spark://127.0.0.1\", \"port\": " + port + "}",
        "PATH", cluster.sparkHome().resolve("bin") + ":" + System.getenv("PATH"),
        "PYTHONUNBUFFERED", "1",
        "GMM_JAR", PythonEnv.JAR.toString(),
        "GMM_RETRY_DELAY", "5"));
    env.putAll(gmm);
    return env;
  }

  /** What Airflow's database holds for the DAG's run of day {@code ds}. */
  private static JsonNode recorded(String dag, String ds) throws Exception {
    Launcher.Result r = Launcher.run(tmp.resolve("logs"), environment(Map.of()), List.of(
        PythonEnv.dir("airflow").resolve("bin/python").toString(),
        Launcher.ROOT.resolve("spark-job/src/test/python/airflow_run.py").toString(), dag, ds)).ok();
    return JSON.readTree(r.stdout().lines().reduce((a, b) -> b).orElseThrow());
  }

  /**
   * gmm_daily for one day, whose earlier complete output (3 components) is there: the first fit
   * attempt's driver is killed with SIGKILL mid-fit, which leaves that output as it was; Airflow
   * retries after the retry delay, the retry (resuming from the killed attempt's checkpoint)
   * replaces the day's output with nothing beside it, predict runs, and publish_metrics' XCom is
   * the fit's rows and BIC.
   */
  @Test
  void dailyFitIsRetriedAfterAKilledDriverAndReplacesTheDayAtomically() throws Exception {
    String ds = "2026-11-21";
    Path logs = tmp.resolve("logs-daily");
    Path truth = tmp.resolve("truth.json");
    Files.writeString(truth, ModelJson.write(MissingFixtures.threeGaussians()));
    Path events = tmp.resolve("events");
    Gmm.run("sample", "--model", truth.toString(), "--n", "300000", "--partitions", "4", "--seed", "1",
        "--output", events.resolve("ds=" + ds).toString()).ok();
    Path input = events.resolve("ds=" + ds + "/sample");
    Path outputs = tmp.resolve("gmm");
    Path day = outputs.resolve("ds=" + ds);
    Gmm.run("fit", "--input", input.toString(), "--k", "3", "--no-report", "--output", day.resolve("fit").toString()).ok();
    assertThat(Gmm.model(day.resolve("fit")).components()).isEqualTo(3);

    Map<String, String> env = environment(Map.of("GMM_INPUT", events + "/ds={{ ds }}/sample",
        "GMM_OUTPUT_ROOT", outputs.toString(), "GMM_K", "2", "GMM_FIT_OPTIONS", "--tol 0 --max-iter 60 --no-report"));
    Launcher.Running dagTest = Launcher.start(logs, env, List.of(airflow().toString(), "dags", "test", "gmm_daily", ds));
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (!Files.readString(dagTest.out()).contains("iter   8 ") && dagTest.process().isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(dagTest.out())).as("the first attempt reached iteration 8").contains("iter   8 ");
      List<ProcessHandle> drivers = ProcessHandle.allProcesses().filter(h -> Launcher.commandLine(h).contains(
          "org.apache.spark.deploy.SparkSubmit") && Launcher.commandLine(h).contains("gmm-fit-" + ds)).toList();
      assertThat(drivers).as("the fit attempt's driver JVM").hasSize(1);
      drivers.get(0).destroyForcibly();
      drivers.get(0).onExit().get(30, TimeUnit.SECONDS);
      // Until the retry runs, the day's earlier output is whole and untouched.
      assertThat(day.resolve("fit/_SUCCESS")).exists();
      assertThat(Gmm.model(day.resolve("fit")).components()).isEqualTo(3);
      assertThat(dagTest.process().waitFor(6, TimeUnit.MINUTES)).as("airflow dags test ended").isTrue();
    } finally {
      dagTest.kill();
    }
    Launcher.Result r = dagTest.result();
    assertThat(r.status()).as("airflow dags test:\n%s\n%s", tail(r.stdout()), tail(r.stderr())).isZero();

    JsonNode run = recorded("gmm_daily", ds);
    assertThat(run.get("state").asText()).isEqualTo("success");
    JsonNode fit = run.at("/tasks/fit");
    assertThat(fit.get("state").asText()).isEqualTo("success");
    assertThat(fit.get("try_number").asInt()).as("fit ran twice").isEqualTo(2);
    assertThat(fit.get("earlier_tries").get(0).asText()).isEqualTo("failed");
    assertThat(run.at("/tasks/predict/state").asText()).isEqualTo("success");
    assertThat(run.at("/tasks/predict/try_number").asInt()).isEqualTo(1);

    JsonNode metrics = Gmm.metrics(day.resolve("fit"));
    assertThat(Gmm.model(day.resolve("fit")).components()).as("the retry's model replaced the day's").isEqualTo(2);
    assertThat(metrics.get("n_iter").asInt()).isEqualTo(60);
    assertThat(metrics.get("resumed_from_iteration").asInt()).as("resumed from the killed attempt's checkpoint")
        .isBetween(5, 59);
    assertThat(Gmm.listAll(day).stream().map(p -> day.relativize(p).toString()))
        .as("nothing beside the day's outputs").allMatch(n -> n.startsWith("fit") || n.startsWith("predict"));
    JsonNode published = run.get("publish_metrics");
    assertThat(published.at("/fit/n_rows").asLong()).isEqualTo(300_000L);
    assertThat(published.at("/fit/bic").asDouble()).isEqualTo(metrics.get("bic").asDouble());
    assertThat(published.at("/fit/n_components").asInt()).isEqualTo(2);
    assertThat(published.at("/predict/n_rows").asLong()).isEqualTo(300_000L);
  }

  /**
   * gmm_daily_update over two days: the first has no model before it, so its branch takes fit; the
   * next takes update, which decays yesterday's evidence by the half-life (1 day: 0.5 x 272 + 272
   * effective rows), and publish_metrics carries the update's figures.
   */
  @Test
  void dailyUpdateFitsTheFirstDayAndUpdatesTheNext() throws Exception {
    Path events = tmp.resolve("events-update");
    for (String ds : List.of("2026-11-21", "2026-11-22")) {
      Files.createDirectories(events.resolve("ds=" + ds));
      Files.copy(Launcher.ROOT.resolve("conf/examples/faithful.parquet"), events.resolve("ds=" + ds + "/part-0.parquet"));
    }
    Path outputs = tmp.resolve("gmm-update");
    Map<String, String> env = environment(Map.of("GMM_INPUT", events + "/ds={{ ds }}", "GMM_OUTPUT_ROOT",
        outputs.toString(), "GMM_K", "2", "GMM_HALF_LIFE", "1"));
    for (String ds : List.of("2026-11-21", "2026-11-22")) {
      Launcher.Result r = Launcher.run(tmp.resolve("logs-update"), env,
          List.of(airflow().toString(), "dags", "test", "gmm_daily_update", ds));
      assertThat(r.status()).as("airflow dags test %s:\n%s\n%s", ds, tail(r.stdout()), tail(r.stderr())).isZero();
    }
    JsonNode first = recorded("gmm_daily_update", "2026-11-21");
    assertThat(first.at("/tasks/fit/state").asText()).isEqualTo("success");
    assertThat(first.at("/tasks/update/state").asText()).isEqualTo("skipped");
    assertThat(first.at("/publish_metrics/fit/command").asText()).isEqualTo("fit");

    JsonNode second = recorded("gmm_daily_update", "2026-11-22");
    assertThat(second.get("state").asText()).isEqualTo("success");
    assertThat(second.at("/tasks/update/state").asText()).isEqualTo("success");
    assertThat(second.at("/tasks/fit/state").asText()).isEqualTo("skipped");
    assertThat(second.at("/tasks/predict/state").asText()).isEqualTo("success");
    JsonNode published = second.get("publish_metrics");
    assertThat(published.at("/fit/command").asText()).isEqualTo("update");
    assertThat(published.at("/fit/update/decay").asDouble()).isEqualTo(0.5);
    assertThat(published.at("/fit/update/effective_rows").asDouble()).isEqualTo(0.5 * 272 + 272);
    assertThat(published.at("/fit/update/model").asText()).isEqualTo(outputs.resolve("ds=2026-11-21/fit").toString());
    assertThat(published.at("/predict/n_rows").asLong()).isEqualTo(272);
    assertThat(ModelJson.effectiveRows(Files.readString(outputs.resolve("ds=2026-11-22/fit/model/model.json")), "day 2"))
        .isEqualTo(408.0);
  }

  private static String tail(String text) {
    return text.length() <= 20_000 ? text : text.substring(text.length() - 20_000);
  }
}
