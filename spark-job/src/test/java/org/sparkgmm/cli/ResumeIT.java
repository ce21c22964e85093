package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.CommitKills;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.Launcher;

/**
 * A killed driver (its own JVM, {@code submit-scripts/gmm}, SIGKILL). Checkpoint and resume: killed
 * after iteration k, the same command rerun goes on from the last checkpoint and ends with the
 * uninterrupted run's model; a different command is refused the checkpoint. Outputs: two runs
 * never interleave, and a run killed at any moment of the commit on the local file system leaves
 * one whole output ({@link CommitKills}).
 */
class ResumeIT {
  private static final List<String> X4 = List.of("x0", "x1", "x2", "x3");

  @TempDir
  Path tmp;

  @Test
  void aKilledFitResumesFromItsCheckpointAndEndsWhereAnUninterruptedOneEnds() throws Exception {
    Path data = Gmm.writeCsv(tmp.resolve("data.csv"), X4, MissingFixtures.threeGaussians().sample(400_000, 5));
    Path out = tmp.resolve("out");
    String[] fit = {"fit", "--input", data.toString(), "--k", "6", "--tol", "0", "--max-iter", "80",
        "--checkpoint-every", "3", "--no-report", "--output", out.toString()};
    Path logs = tmp.resolve("logs");

    Launcher.Running driver = Launcher.startGmm(logs, Map.of(), fit);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!driver.stderr().contains("iter  10 ") && driver.process().isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(driver.stderr()).as("iteration 10 ran").contains("iter  10 ");
    } finally {
      driver.kill();
    }
    assertThat(driver.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(out).as("nothing committed").doesNotExist();
    Path checkpoint = tmp.resolve(".out.checkpoint");
    assertThat(checkpoint.resolve("em-state")).exists();

    // Another command (another seed) is refused the checkpoint, and writes nothing.
    Launcher.Result refused = Launcher.gmm(logs, Map.of(), concat(fit, "--seed", "1"));
    assertThat(refused.status()).isEqualTo(3);
    assertThat(refused.stderr()).contains("was written by a different command or input");
    assertThat(out).doesNotExist();

    Launcher.Result resumed = Launcher.gmm(logs, Map.of(), fit).ok();
    Matcher m = Pattern.compile("resuming from checkpoint \\S+ after iteration (\\d+)").matcher(resumed.stderr());
    assertThat(m.find()).as("stderr:\n%s", resumed.stderr()).isTrue();
    int after = Integer.parseInt(m.group(1));
    assertThat(after).isBetween(9, 79).matches(i -> i % 3 == 0, "a multiple of --checkpoint-every");
    assertThat(resumed.stderr()).doesNotContain("iter   1 ").contains("iter " + String.format("%3d", after + 1) + " ");
    assertThat(checkpoint).as("removed once the run succeeded").doesNotExist();

    Path whole = tmp.resolve("whole");
    Gmm.run(concat(java.util.Arrays.copyOf(fit, fit.length - 1), whole.toString())).ok();
    Mixture a = Gmm.model(out);
    Mixture b = Gmm.model(whole);
    assertRelClose(a.weights(), b.weights(), 1e-9, "weights");
    assertRelClose(flat(a.means()), flat(b.means()), 1e-9, "means");
    assertRelClose(a.asGaussian().orElseThrow().covarianceValues(), b.asGaussian().orElseThrow().covarianceValues(),
        1e-9, "covariances");
    JsonNode ma = Gmm.metrics(out);
    JsonNode mb = Gmm.metrics(whole);
    assertThat(ma.get("n_iter").asInt()).isEqualTo(80);
    assertThat(ma.get("log_likelihood_history")).hasSize(80);
    assertThat(ma.get("resumed_from_iteration").asInt()).isEqualTo(after);
    assertThat(mb.get("resumed_from_iteration").asInt()).isZero();
    for (int i = 0; i < 80; i++) {
      assertThat(ma.get("log_likelihood_history").get(i).asDouble())
          .isCloseTo(mb.get("log_likelihood_history").get(i).asDouble(), org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  /** The same for select: the whole grid's EM state is checkpointed, and the rerun ends with the same table. */
  @Test
  void aKilledSelectResumesToTheSameTable() throws Exception {
    Path data = Gmm.writeCsv(tmp.resolve("data.csv"), X4, MissingFixtures.threeGaussians().sample(100_000, 6));
    Path out = tmp.resolve("select");
    String[] select = {"select", "--input", data.toString(), "--k", "1..3", "--covariance", "full,diag", "--tol", "0",
        "--max-iter", "40", "--checkpoint-every", "2", "--no-report", "--output", out.toString()};
    Path logs = tmp.resolve("logs");
    Launcher.Running driver = Launcher.startGmm(logs, Map.of(), select);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!driver.stderr().contains("select: iter   8 ") && driver.process().isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(driver.stderr()).as("iteration 8 ran").contains("select: iter   8 ");
    } finally {
      driver.kill();
    }
    assertThat(out).doesNotExist();
    Launcher.Result resumed = Launcher.gmm(logs, Map.of(), select).ok();
    assertThat(resumed.stderr()).contains("select: resuming from checkpoint").doesNotContain("select: iter   1 ");
    assertThat(tmp.resolve(".select.checkpoint")).doesNotExist();

    Path whole = tmp.resolve("whole");
    String[] again = select.clone();
    again[again.length - 1] = whole.toString();
    Gmm.run(again).ok();
    JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("selection.json").toFile());
    JsonNode b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(whole.resolve("selection.json").toFile());
    assertThat(a.get("best")).isEqualTo(b.get("best"));
    assertThat(a.get("candidates")).hasSameSizeAs(b.get("candidates")).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(a.get("candidates").get(i).get("bic").asDouble())
          .isCloseTo(b.get("candidates").get(i).get("bic").asDouble(), org.assertj.core.api.Assertions.offset(1e-6));
    }
    assertThat(Gmm.metrics(out).get("resumed_from_iteration").asInt()).isPositive();
  }

  /**
   * Two runs writing one output never interleave: while one holds the output's lock the other fails
   * at once, naming it, and the first ends complete. A lock left by a killed driver on this host is
   * taken over at once.
   */
  @Test
  void twoRunsWritingOneOutputNeverInterleave() throws Exception {
    Path data = Gmm.writeCsv(tmp.resolve("data.csv"), X4, MissingFixtures.threeGaussians().sample(300_000, 3));
    Path out = tmp.resolve("shared");
    Path lock = tmp.resolve(".shared.lock");
    String[] fit = {"fit", "--input", data.toString(), "--k", "3", "--tol", "0", "--max-iter", "500", "--no-report",
        "--checkpoint-every", "0", "--output", out.toString()};
    Path logs = tmp.resolve("logs");

    Launcher.Running first = Launcher.startGmm(logs, Map.of(), fit);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!first.stderr().contains("iter   2 ") && first.process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(lock).as("the running fit holds the lock").exists();
    Gmm.Run second = Gmm.run(concat(fit, "--overwrite"));
    assertThat(second.status()).isEqualTo(2);
    assertThat(second.err()).contains("Output " + out.toUri().toString().replaceAll("/$", "").replace("file:///", "file:/"))
        .contains("is being written by another run");
    assertThat(first.process().waitFor(5, TimeUnit.MINUTES)).isTrue();
    first.result().ok();
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(Gmm.metrics(out).get("n_iter").asInt()).isEqualTo(500);
    assertThat(lock).as("released").doesNotExist();

    // A driver killed while holding the lock: the next run on this host takes it over at once.
    Launcher.Running killed = Launcher.startGmm(logs, Map.of(), concat(fit, "--overwrite"));
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!killed.stderr().contains("iter   2 ") && killed.process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    killed.kill();
    assertThat(lock).exists();
    String[] shorter = fit.clone();
    shorter[java.util.Arrays.asList(fit).indexOf("500")] = "5";
    Gmm.run(concat(shorter, "--overwrite")).ok();
    assertThat(Gmm.metrics(out).get("n_iter").asInt()).isEqualTo(5);
    assertThat(lock).doesNotExist();
  }

  /** Killed at each moment of the commit on the local file system (HdfsIT and S3IT do the same on theirs). */
  @Test
  void aRunKilledAtAnyMomentOfTheCommitLeavesOneWholeOutput() throws Exception {
    Path model = tmp.resolve("iris-model");
    Gmm.run("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(), "--k", "3",
        "--no-report", "--output", model.toString()).ok();
    org.apache.hadoop.fs.FileSystem local = org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
    CommitKills.check(local, tmp.resolve("samples/iris").toUri().toString(), model, tmp.resolve("logs"));
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
