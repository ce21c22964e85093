package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.driver.StreamJob;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.Launcher;

/**
 * {@code gmm stream} as a real Structured Streaming query over a directory the test fills file by
 * file: after N files the model equals N {@code gmm update}s, and a restart from the checkpoint
 * (with the last batch's commit lost; or after a SIGKILL of the driver's own JVM) neither loses nor
 * repeats a batch.
 */
class StreamIT {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final List<String> X4 = List.of("x0", "x1", "x2", "x3");

  @TempDir
  Path tmp;

  /** Moves a finished CSV into the watched directory with a later modification time than the last. */
  private Path arrive(Path dir, int i) throws Exception {
    Path f = Gmm.writeCsv(tmp.resolve("part" + i + ".csv"), X4, MissingFixtures.threeGaussians().sample(800, 100 + i));
    Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L + i * 10_000L));
    return Files.move(f, dir.resolve("part" + i + ".csv"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static int versions(Path out) throws Exception {
    Path dir = out.resolve("versions");
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var s = Files.list(dir)) {
      return (int) s.filter(p -> Files.exists(p.resolve("_SUCCESS"))).count();
    }
  }

  @Test
  void streamEqualsRepeatedUpdatesAndSurvivesARestart() throws Exception {
    Path base = Gmm.writeCsv(tmp.resolve("base.csv"), X4, MissingFixtures.threeGaussians().sample(2000, 7));
    Path fitted = tmp.resolve("fit");
    Gmm.run("fit", "--input", base.toString(), "--k", "3", "--no-report", "--output", fitted.toString()).ok();
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Path out = tmp.resolve("stream");

    // A running query: two files arrive one after the other; it stops after two updates.
    CompletableFuture<Gmm.Run> running = CompletableFuture.supplyAsync(() -> Gmm.run("stream", "--model",
        fitted.toString(), "--input", inbox.toString(), "--format", "csv", "--output", out.toString(), "--max-batches",
        "2", "--interval", "0.5"));
    arrive(inbox, 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (versions(out) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(versions(out)).isEqualTo(1);
    arrive(inbox, 2);
    Gmm.Run first = running.get(180, TimeUnit.SECONDS).ok();
    assertThat(first.err()).contains("stream: batch").contains("stopped after 2 updates");
    assertThat(versions(out)).isEqualTo(2);

    // As after a kill between writing a version and committing its batch: the commit is lost.
    Path commits = out.resolve("_checkpoint/commits");
    try (var s = Files.list(commits)) {
      Path last = s.filter(p -> p.getFileName().toString().matches("\\d+")).max((a, b) -> Integer.compare(
          Integer.parseInt(a.getFileName().toString()), Integer.parseInt(b.getFileName().toString()))).orElseThrow();
      Files.delete(last);
      Files.deleteIfExists(commits.resolve("." + last.getFileName() + ".crc")); // the local file system's checksum
    }
    arrive(inbox, 3);
    arrive(inbox, 4);
    Gmm.Run second = Gmm.run("stream", "--model", fitted.toString(), "--input", inbox.toString(), "--format", "csv",
        "--output", out.toString(), "--available-now").ok();
    assertThat(second.err()).contains("was applied before").contains("stopped after 2 updates");
    assertThat(versions(out)).isEqualTo(4);

    // The same four files through gmm update, one after the other.
    String previous = fitted.toString();
    for (int i = 1; i <= 4; i++) {
      Path next = tmp.resolve("update" + i);
      Gmm.run("update", "--model", previous, "--input", inbox.resolve("part" + i + ".csv").toString(), "--output",
          next.toString()).ok();
      previous = next.toString();
    }
    String latest = Files.readString(out.resolve("LATEST")).trim();
    Mixture streamed = Gmm.model(out.resolve("versions").resolve(latest));
    StepwiseEmIT.assertSameModel(streamed, Gmm.model(Path.of(previous)), 1e-12);
    assertThat(Gmm.metrics(out.resolve("versions").resolve(latest)).get("update").get("effective_rows").asDouble())
        .isEqualTo(2000.0 + 4 * 800);
  }

  /**
   * The driver is a separate JVM ({@code submit-scripts/gmm stream}) killed with SIGKILL while it
   * updates the model with the third file. Rerun, it resumes from its checkpoint: after the fourth
   * file there are exactly four versions, equal to four {@code gmm update}s, so no batch was lost or
   * applied twice, and LATEST names the newest.
   */
  @Test
  void survivesAKillOfItsDriverProcess() throws Exception {
    Path base = Gmm.writeCsv(tmp.resolve("base.csv"), X4, MissingFixtures.threeGaussians().sample(2000, 7));
    Path fitted = tmp.resolve("fit");
    Gmm.run("fit", "--input", base.toString(), "--k", "3", "--no-report", "--output", fitted.toString()).ok();
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Path out = tmp.resolve("stream");
    Path logs = tmp.resolve("logs");
    String[] stream = {"stream", "--model", fitted.toString(), "--input", inbox.toString(), "--format", "csv",
        "--output", out.toString()};

    Launcher.Running driver = Launcher.startGmm(logs, Map.of(), concat(stream, "--interval", "0.5"));
    try {
      arrive(inbox, 1);
      awaitVersions(driver, out, 1);
      arrive(inbox, 2);
      awaitVersions(driver, out, 2);
      arrive(inbox, 3);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!driver.stderr().contains("stream batch 2:") && driver.process().isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(driver.stderr()).as("the third batch started").contains("stream batch 2:");
    } finally {
      driver.kill();
    }
    assertThat(driver.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(versions(out)).isBetween(2, 3);

    arrive(inbox, 4);
    Launcher.Result rerun = Launcher.gmm(logs, Map.of(), concat(stream, "--available-now")).ok();
    assertThat(rerun.stderr()).contains("stream: stopped after");
    assertThat(versions(out)).isEqualTo(4);

    String previous = fitted.toString();
    for (int i = 1; i <= 4; i++) {
      Path next = tmp.resolve("update" + i);
      Gmm.run("update", "--model", previous, "--input", inbox.resolve("part" + i + ".csv").toString(), "--output",
          next.toString()).ok();
      previous = next.toString();
      StepwiseEmIT.assertSameModel(Gmm.model(out.resolve("versions").resolve(StreamJob.name(i - 1))),
          Gmm.model(next), 1e-12);
    }
    assertThat(Files.readString(out.resolve("LATEST")).trim()).isEqualTo(StreamJob.name(3));
    assertThat(Gmm.metrics(out.resolve("versions").resolve(StreamJob.name(3))).get("update").get("effective_rows")
        .asDouble()).isEqualTo(2000.0 + 4 * 800);
  }

  /** A model with a categorical feature fitted on string labels streams too: two files, two updates. */
  @Test
  void streamsAModelWithStringCategories() throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    String[] colors = {"red", "green", "blue"};
    java.util.function.IntFunction<String> rows = n -> {
      StringBuilder b = new StringBuilder("x,color\n");
      for (int i = 0; i < n; i++) {
        boolean second = r.nextDouble() < 0.4;
        b.append(second ? 5 + r.nextGaussian() : r.nextGaussian()).append(',')
            .append(colors[second ? (r.nextDouble() < 0.8 ? 0 : 1) : (r.nextDouble() < 0.7 ? 2 : 1)]).append('\n');
      }
      return b.toString();
    };
    Path base = Files.writeString(tmp.resolve("base.csv"), rows.apply(3000));
    Path fitted = tmp.resolve("fit");
    Gmm.run("fit", "--input", base.toString(), "--k", "2", "--distributions", "x:normal,color:categorical",
        "--no-report", "--output", fitted.toString()).ok();
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    for (int i = 1; i <= 2; i++) {
      Path f = Files.writeString(tmp.resolve("part" + i + ".csv"), rows.apply(500));
      Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L + i * 10_000L));
      Files.move(f, inbox.resolve("part" + i + ".csv"));
    }
    Path out = tmp.resolve("stream");
    Gmm.run("stream", "--model", fitted.toString(), "--input", inbox.toString(), "--format", "csv", "--output",
        out.toString(), "--available-now").ok();
    assertThat(versions(out)).isEqualTo(2);
    String previous = fitted.toString();
    for (int i = 1; i <= 2; i++) {
      Path next = tmp.resolve("update" + i);
      Gmm.run("update", "--model", previous, "--input", inbox.resolve("part" + i + ".csv").toString(), "--output",
          next.toString()).ok();
      previous = next.toString();
    }
    Mixture streamed = Gmm.model(out.resolve("versions").resolve(StreamJob.name(1)));
    Mixture updated = Gmm.model(Path.of(previous));
    assertThat(streamed.categories()).isEqualTo(updated.categories()).containsKey("color");
    assertThat(streamed.weights()).containsExactly(updated.weights(), org.assertj.core.api.Assertions.within(1e-12));
    assertSameJson(JSON.readTree(org.sparkgmm.model.ModelJson.write(streamed)),
        JSON.readTree(org.sparkgmm.model.ModelJson.write(updated)), "model");
  }

  /** The same tree, numbers to 1e-12 relative. */
  private static void assertSameJson(com.fasterxml.jackson.databind.JsonNode a, com.fasterxml.jackson.databind.JsonNode b,
      String at) {
    if (a.isNumber() && b.isNumber()) {
      assertThat(a.asDouble()).as(at).isCloseTo(b.asDouble(),
          org.assertj.core.api.Assertions.within(1e-12 * Math.max(1.0, Math.abs(b.asDouble()))));
      return;
    }
    assertThat(a.getNodeType()).as(at).isEqualTo(b.getNodeType());
    assertThat(a.size()).as(at).isEqualTo(b.size());
    if (a.isObject()) {
      a.fieldNames().forEachRemaining(f -> assertSameJson(a.get(f), b.get(f), at + "." + f));
    } else if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        assertSameJson(a.get(i), b.get(i), at + "[" + i + "]");
      }
    } else {
      assertThat(a).as(at).isEqualTo(b);
    }
  }

  private static void awaitVersions(Launcher.Running driver, Path out, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (versions(out) < n && driver.process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(versions(out)).as("versions; stderr:\n%s", driver.stderr()).isEqualTo(n);
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
