package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.Launcher;

/**
 * The README's front door: {@code submit-scripts/gmm fit} on the bundled examples, as a separate
 * process in embedded mode (no SPARK_HOME), with the jar this build just packaged.
 */
class LauncherIT {
  @TempDir
  Path tmp;

  private Launcher.Result gmm(String... args) {
    return Launcher.gmm(tmp, java.util.Map.of(), args);
  }

  @Test
  void readmeCommandOnOldFaithful() throws Exception {
    Path out = tmp.resolve("faithful-gmm");
    Launcher.Result r = gmm("fit", "--input", "conf/examples/faithful.csv", "--k", "2", "--output", out.toString());
    assertThat(r.status()).as("stderr: %s", r.stderr()).isZero();
    assertThat(r.stderr()).containsPattern("iter +1  mean log-likelihood -[0-9.]+  change +-  [0-9.]+ s")
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
    Launcher.Result ok = gmm("fit", "--input", "conf/examples/iris.parquet", "--k", "3", "--covariance", "diag",
        "--output", out.toString());
    assertThat(ok.status()).as("stderr: %s", ok.stderr()).isZero();
    assertThat(Gmm.model(out).features())
        .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");

    Launcher.Result bad = gmm("fit", "--input", "conf/examples/iris.parquet", "--k", "3", "--features", "species",
        "--output", tmp.resolve("bad").toString());
    assertThat(bad.status()).isEqualTo(3);
    assertThat(bad.stderr()).contains("gmm: Column 'species' (--features)");
    assertThat(tmp.resolve("bad")).doesNotExist();

    Launcher.Result usage = gmm("fit", "--k", "3");
    assertThat(usage.status()).isEqualTo(2);
  }
}
