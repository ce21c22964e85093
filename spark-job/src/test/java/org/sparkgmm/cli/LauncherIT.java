package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.testing.Gmm;

/**
 * The README's front door: {@code submit-scripts/gmm fit} on the bundled examples, as a separate
 * process in embedded mode (no SPARK_HOME), with the jar this build just packaged.
 */
class LauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir
  Path tmp;

  private record Result(int status, String stdout, String stderr) {}

  private java.util.Optional<String> sparkHome = java.util.Optional.empty();

  private Result gmm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("submit-scripts/gmm").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    pb.environment().remove("SPARK_HOME");
    sparkHome.ifPresent(h -> pb.environment().put("SPARK_HOME", h));
    pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
    pb.redirectError(tmp.resolve("stderr.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("gmm finished in time").isTrue();
    return new Result(p.exitValue(), Files.readString(tmp.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void readmeCommandOnOldFaithful() throws Exception {
    Path out = tmp.resolve("faithful-gmm");
    Result r = gmm("fit", "--input", "conf/examples/faithful.csv", "--k", "2", "--output", out.toString());
    assertThat(r.status()).as("stderr: %s", r.stderr()).isZero();
    assertThat(r.stdout()).containsPattern("iter +1  mean log-likelihood -[0-9.]+  change +-  [0-9.]+ s")
        .containsPattern("iter +2  mean log-likelihood -[0-9.]+  change [+-][0-9.]+e[+-][0-9]+  [0-9.]+ s")
        .contains("fit: converged");
    assertThat(r.stderr()).doesNotContain(" INFO ");
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(Gmm.model(out).features()).containsExactly("eruptions", "waiting");
    var metrics = Gmm.metrics(out);
    for (String field : List.of("n_rows", "n_features", "n_components", "covariance_type", "n_iter", "converged",
        "log_likelihood", "mean_log_likelihood", "log_likelihood_history", "n_parameters", "bic", "aic",
        "rows_skipped", "seconds")) {
      assertThat(metrics.has(field)).as("metrics.json has " + field).isTrue();
    }
    assertThat(metrics.get("n_rows").asLong()).isEqualTo(272);
    // The two-cluster optimum (scikit-learn, k-means start, 10 inits: -4.1554); a start with both
    // components spanning both clusters stalls near -4.73 instead.
    assertThat(metrics.get("mean_log_likelihood").asDouble()).isGreaterThan(-4.16);
    assertThat(metrics.get("log_likelihood_history").size()).isEqualTo(metrics.get("n_iter").asInt());
  }

  @Test
  void irisParquetUsesEveryNumericColumnAndExitsWithTheDataStatus() throws Exception {
    Path out = tmp.resolve("iris");
    Result ok = gmm("fit", "--input", "conf/examples/iris.parquet", "--k", "3", "--covariance", "diag",
        "--output", out.toString());
    assertThat(ok.status()).as("stderr: %s", ok.stderr()).isZero();
    assertThat(Gmm.model(out).features())
        .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");

    Result bad = gmm("fit", "--input", "conf/examples/iris.parquet", "--k", "3", "--features", "species",
        "--output", tmp.resolve("bad").toString());
    assertThat(bad.status()).isEqualTo(3);
    assertThat(bad.stderr()).contains("gmm: Column 'species' (--features)");
    assertThat(tmp.resolve("bad")).doesNotExist();

    Result usage = gmm("fit", "--k", "3");
    assertThat(usage.status()).isEqualTo(2);
  }

  @Test
  void withSparkHomeItGoesThroughSparkSubmit() throws Exception {
    sparkHome = java.util.Optional.of("/opt/spark-x");
    Result r = gmm("fit", "--master", "spark://127.0.0.1:7077", "--conf", "spark.executor.memory=2g", "--input",
        "hdfs:///d", "--k", "3", "--output", "hdfs:///o", "--dry-run");
    assertThat(r.status()).as("stderr: %s", r.stderr()).isZero();
    String cmd = r.stdout().trim();
    assertThat(cmd).startsWith("/opt/spark-x/bin/spark-submit --class org.sparkgmm.cli.Main")
        .contains("--master spark://127.0.0.1:7077", "--conf spark.executor.memory=2g")
        .contains("spark-gmm-0.1.0-SNAPSHOT.jar fit --input hdfs:///d --k 3 --output hdfs:///o");
    assertThat(cmd.indexOf("--master")).isLessThan(cmd.indexOf(".jar"));
  }
}
