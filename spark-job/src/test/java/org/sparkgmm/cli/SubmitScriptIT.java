package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.testing.Launcher;

/** {@code submit-scripts/gmm --dry-run}: the exact command for each kind of master, with and without SPARK_HOME. */
class SubmitScriptIT {
  private static final String JAR = Launcher.ROOT.resolve("spark-job/target/spark-gmm-0.1.0-SNAPSHOT.jar").toString();
  private static final String LOG_CONF = "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:"
      + Launcher.ROOT.resolve("conf/log4j2.properties");

  @TempDir
  Path tmp;

  private List<String> dryRun(Map<String, String> env, String... args) {
    Launcher.Result r = Launcher.gmm(tmp, env, args).ok();
    assertThat(r.stdout().lines().count()).as("one line: %s", r.stdout()).isEqualTo(1);
    return Arrays.asList(r.stdout().trim().split(" "));
  }

  @Test
  void yarnClusterModeThroughSparkHome() {
    List<String> cmd = dryRun(Map.of("SPARK_HOME", "/opt/spark"), "--dry-run", "--master", "yarn",
        "--deploy-mode", "cluster", "--num-executors", "20", "--executor-memory", "8g", "--queue", "analytics",
        "fit", "--input", "hdfs:///events/ds=2026-11-21", "--k", "8", "--output", "hdfs:///gmm/2026-11-21");
    assertThat(cmd.get(0)).isEqualTo("/opt/spark/bin/spark-submit");
    assertThat(cmd).containsSubsequence("--class", "org.sparkgmm.cli.Main")
        .containsSubsequence("--master", "yarn", "--deploy-mode", "cluster", "--num-executors", "20",
            "--executor-memory", "8g", "--queue", "analytics", JAR, "fit", "--input", "hdfs:///events/ds=2026-11-21",
            "--k", "8", "--output", "hdfs:///gmm/2026-11-21")
        .containsSubsequence("--conf", "spark.executorEnv.OPENBLAS_NUM_THREADS=1")
        .containsSubsequence("--conf", "spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=1")
        // A cluster-mode driver cannot read this machine's log configuration.
        .doesNotContain(LOG_CONF);
    assertThat(cmd.indexOf(JAR)).as("spark-submit options before the jar").isGreaterThan(cmd.indexOf("--queue"));
  }

  @Test
  void kubernetesWithAJarInsideTheImage() {
    String image = "spark.kubernetes.container.image=registry.example.com/spark-gmm:0.1.0";
    List<String> cmd = dryRun(Map.of("SPARK_HOME", "/opt/spark", "GMM_JAR", "local:///opt/spark-gmm/spark-gmm.jar"),
        "--dry-run", "--master", "k8s://https://10.0.0.1:6443", "--deploy-mode", "cluster", "--conf", image,
        "predict", "--model", "s3a://models/gmm", "--input", "s3a://events/today", "--output", "s3a://out/today");
    assertThat(cmd.get(0)).isEqualTo("/opt/spark/bin/spark-submit");
    assertThat(cmd).containsSubsequence("--master", "k8s://https://10.0.0.1:6443", "--deploy-mode", "cluster",
            "--conf", image, "local:///opt/spark-gmm/spark-gmm.jar", "predict", "--model", "s3a://models/gmm")
        .containsSubsequence("--conf", "spark.kubernetes.driverEnv.OPENBLAS_NUM_THREADS=1")
        .doesNotContain(JAR, LOG_CONF);
  }

  @Test
  void standaloneClientModeWithoutASparkInstall() {
    List<String> cmd = dryRun(Map.of(), "--dry-run", "--master", "spark://10.0.0.2:7077", "--total-executor-cores",
        "16", "--conf", "spark.executor.memory=4g", "fit", "--input", "data.parquet", "--k", "3", "--output", "out");
    // Spark's own SparkSubmit class, from the Maven classpath, with Java 17's module flags.
    assertThat(cmd.get(0)).endsWith("java");
    assertThat(cmd).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "org.apache.spark.deploy.SparkSubmit")
        .containsSubsequence("org.apache.spark.deploy.SparkSubmit", "--class", "org.sparkgmm.cli.Main",
            "--master", "spark://10.0.0.2:7077", "--total-executor-cores", "16", "--conf", "spark.executor.memory=4g",
            JAR, "fit", "--input", "data.parquet", "--k", "3", "--output", "out")
        .containsSubsequence("--conf", LOG_CONF)
        .doesNotContain("spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=1");
    assertThat(cmd.get(cmd.indexOf("-cp") + 1)).contains("spark-core_2.13-4.1.0.jar").doesNotContain(JAR);
  }

  @Test
  void localMasterRunsEmbedded() {
    List<String> cmd = dryRun(Map.of(), "--dry-run", "--master", "local", "fit", "--input", "a.csv", "--k", "2",
        "--output", "o");
    assertThat(cmd).doesNotContain("org.apache.spark.deploy.SparkSubmit")
        .containsSubsequence("-cp", "org.sparkgmm.cli.Main", "fit", "--input", "a.csv")
        // The job itself takes --master in embedded mode.
        .containsSubsequence("--output", "o", "--master", "local");
    assertThat(cmd.get(cmd.indexOf("-cp") + 1)).startsWith(JAR + ":");
  }

  @Test
  void unknownMasterOrDeployModeIsAUsageError() {
    Launcher.Result master = Launcher.gmm(tmp, Map.of(), "--dry-run", "--master", "mesos://x:5050", "fit");
    assertThat(master.status()).isEqualTo(2);
    assertThat(master.stderr()).contains("gmm: unknown --master 'mesos://x:5050'");
    Launcher.Result mode = Launcher.gmm(tmp, Map.of(), "--dry-run", "--master", "yarn", "--deploy-mode", "remote",
        "fit");
    assertThat(mode.status()).isEqualTo(2);
    assertThat(mode.stderr()).contains("gmm: --deploy-mode is client or cluster, got 'remote'");
    Launcher.Result dangling = Launcher.gmm(tmp, Map.of(), "fit", "--master");
    assertThat(dangling.status()).isEqualTo(2);
    assertThat(dangling.stderr()).contains("gmm: --master needs a value");
  }
}
