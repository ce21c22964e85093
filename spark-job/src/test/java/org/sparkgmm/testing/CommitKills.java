package org.sparkgmm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * The kill-during-commit test, for any store: a {@code gmm sample --overwrite} driver is killed
 * (SIGKILL, a real child JVM) at each moment of the switch that replaces an output, held there by
 * the job's {@code GMM_FAILPOINT}: before it starts, with the old output moved aside, with the new
 * one moved in before {@code _SUCCESS}, and with {@code _SUCCESS} written before the old one is
 * deleted. After every kill the output is checked as a reader finds it (never {@code _SUCCESS}
 * over anything but one whole output), then as the next run writing it leaves it: one whole output
 * with {@code _SUCCESS}, the old one where the new one was not complete, and nothing else beside it
 * (no {@code .NAME.old-*}, {@code .NAME.staging-*} or lock).
 */
public final class CommitKills {
  private static final int PARTS = 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  private CommitKills() {
  }

  /**
   * Runs the whole test.
   *
   * @param fs the store, as the test sees it
   * @param output the output's URI on that store
   * @param model a fitted model directory
   * @param storeArgs arguments every run needs to reach the store (e.g. {@code --conf} settings)
   */
  public static void check(FileSystem fs, String output, Path model, Path logs, String... storeArgs) throws Exception {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
    String[] sample = {"sample", "--model", model.toString(), "--n", "600", "--partitions", String.valueOf(PARTS),
        "--output", output};
    Launcher.gmm(logs, Map.of(), args(storeArgs, sample, "--seed", "0")).ok();
    assertWhole(fs, out, 0);

    int seed = 0;
    for (String point : List.of("commit-start", "commit-aside", "commit-moved", "commit-success")) {
      int next = seed + 1;
      Launcher.Running killed = Launcher.startGmm(logs, Map.of("GMM_FAILPOINT", point),
          args(storeArgs, sample, "--seed", String.valueOf(next), "--overwrite"));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!killed.stderr().contains("failpoint " + point + " reached") && killed.process().isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      killed.kill();
      assertThat(killed.stderr()).as("held at %s", point).contains("failpoint " + point + " reached");

      // What a reader finds right after the kill.
      boolean success = fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS"));
      switch (point) {
        case "commit-start" -> assertWhole(fs, out, seed);
        case "commit-aside" -> assertThat(fs.exists(out)).as("%s: the old output is aside", point).isFalse();
        case "commit-moved" -> {
          assertThat(success).as("%s: no _SUCCESS yet", point).isFalse();
          assertThat(seedOf(fs, out)).isEqualTo(next);
        }
        default -> assertWhole(fs, out, next);
      }
      if (!success) {
        assertThat(besides(fs, out)).as("%s: the old output waits whole aside", point)
            .anyMatch(n -> n.startsWith("." + out.getName() + ".old-"));
      }

      // The next run writing the output first puts things right, then refuses (it exists).
      Launcher.Result refused = Launcher.gmm(logs, Map.of(), args(storeArgs, sample, "--seed", "99"));
      assertThat(refused.status()).as("%s: %s", point, refused.stderr()).isEqualTo(2);
      assertThat(refused.stderr()).contains("already exists: pass --overwrite");
      seed = point.equals("commit-success") ? next : seed;
      assertWhole(fs, out, seed);
      assertThat(besides(fs, out)).as("%s: nothing left beside the output", point).containsExactly(out.getName());
    }
  }

  private static String[] args(String[] storeArgs, String[] sample, String... more) {
    List<String> all = new ArrayList<>(Arrays.asList(storeArgs));
    all.addAll(Arrays.asList(sample));
    all.addAll(Arrays.asList(more));
    return all.toArray(String[]::new);
  }

  /** The output is complete: _SUCCESS, every part file, and the metrics of the run with this seed. */
  private static void assertWhole(FileSystem fs, org.apache.hadoop.fs.Path out, int seed) throws IOException {
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS"))).as("_SUCCESS in %s", out).isTrue();
    long parts = Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(out, "sample")))
        .filter(st -> st.getPath().getName().startsWith("part-")).count();
    assertThat(parts).as("part files in %s", out).isEqualTo(PARTS);
    assertThat(seedOf(fs, out)).isEqualTo(seed);
  }

  private static int seedOf(FileSystem fs, org.apache.hadoop.fs.Path out) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out, "metrics.json"))) {
      return JSON.readTree(in).get("seed").asInt();
    }
  }

  /**
   * Names of the entries beside the output that belong to it (the output, its asides, its staging,
   * its lock). On S3 a "directory" holding no object is not an entry: S3 has no empty directories,
   * but S3Proxy's filesystem store keeps each key's path as directories on disk and removes them
   * after a delete without a lock, so two keys deleted at once can leave an empty one that it then
   * lists (once in several runs).
   */
  private static List<String> besides(FileSystem fs, org.apache.hadoop.fs.Path out) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus st : fs.listStatus(out.getParent())) {
      String n = st.getPath().getName();
      if ((n.equals(out.getName()) || n.startsWith("." + out.getName() + "."))
          && !("s3a".equals(fs.getScheme()) && st.isDirectory() && !fs.listFiles(st.getPath(), true).hasNext())) {
        names.add(n);
      }
    }
    return names;
  }
}
