package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.CommitKills;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.HadoopFiles;
import org.sparkgmm.testing.Launcher;

/**
 * Real S3 (S3Proxy, its own JVM, on 127.0.0.1, checking signatures): fit and predict read and
 * write s3a:// through submit-scripts/gmm, with the credentials given as Spark settings, which
 * never show up in what the job prints or writes.
 */
class S3IT {
  private static final Path S3PROXY_JAR = Launcher.ROOT.resolve("spark-job/target/s3proxy/s3proxy.jar");
  private static final String ACCESS_KEY = "gmm-test-access";
  private static final String SECRET_KEY = "s3cr3t-Do-Not-Print-0123456789";
  private static final String BUCKET = "warehouse";

  @TempDir
  static Path tmp;

  private static Process s3proxy;
  private static int port;
  private static FileSystem s3;

  @BeforeAll
  static void startS3() throws Exception {
    port = Launcher.freePort();
    Path data = Files.createDirectories(tmp.resolve("s3-data"));
    Files.createDirectories(data.resolve(BUCKET));
    Path props = tmp.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + data) + "\n");
    s3proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", S3PROXY_JAR.toString(), "--properties", props.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("s3proxy.log").toFile()).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!listening()) {
      if (!s3proxy.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start:\n" + Files.readString(tmp.resolve("s3proxy.log")));
      }
      Thread.sleep(200);
    }
    Configuration conf = new Configuration();
    settings().forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    s3 = FileSystem.get(URI.create("s3a://" + BUCKET + "/"), conf);
    s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(Launcher.ROOT.resolve("conf/examples/iris.parquet").toUri()),
        new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/events/iris/part-0.parquet"));
  }

  @AfterAll
  static void stopS3() throws IOException {
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.destroyForcibly();
    }
  }

  private static boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The s3a settings, as a user passes them: Spark's spark.hadoop.* configuration. */
  private static Map<String, String> settings() {
    return Map.of(
        "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:" + port,
        "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
        "spark.hadoop.fs.s3a.path.style.access", "true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
        "spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "spark.hadoop.fs.s3a.access.key", ACCESS_KEY,
        "spark.hadoop.fs.s3a.secret.key", SECRET_KEY);
  }

  private static Launcher.Result gmm(String... args) {
    List<String> all = new ArrayList<>();
    settings().forEach((k, v) -> all.addAll(List.of("--conf", k + "=" + v)));
    all.addAll(List.of(args));
    return Launcher.gmm(tmp.resolve("logs"), Map.of(), all.toArray(String[]::new));
  }

  @Test
  void fitAndPredictReadAndWriteS3() throws IOException {
    String input = "s3a://" + BUCKET + "/events/iris";
    String output = "s3a://" + BUCKET + "/models/iris";
    Launcher.Result fit = gmm("fit", "--input", input, "--k", "3", "--seed", "5", "--output", output).ok();
    assertThat(names(output)).contains("_SUCCESS", "metrics.json", "model", "report");
    Mixture onS3 = ModelJson.read(read(output + "/model/model.json"), output);

    Path local = tmp.resolve("local");
    Gmm.run("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(), "--k", "3",
        "--seed", "5", "--output", local.toString()).ok();
    Mixture expected = Gmm.model(local);
    assertRelClose(onS3.weights(), expected.weights(), SUMMATION_ORDER, "weights");
    assertRelClose(flat(onS3.means()), flat(expected.means()), SUMMATION_ORDER, "means");

    String scored = "s3a://" + BUCKET + "/scored/iris";
    Launcher.Result predict = gmm("predict", "--model", output, "--input", input, "--output", scored,
        "--keep-cols", "species").ok();
    assertThat(names(scored)).contains("_SUCCESS", "metrics.json", "predictions");
    assertThat(read(scored + "/metrics.json")).contains("\"n_rows\" : 150");
    assertThat(names(scored + "/predictions")).anyMatch(n -> n.endsWith(".parquet"));

    // The secret is a Spark setting, never echoed: not in the output, the logs or the files written.
    for (String text : List.of(fit.stdout(), fit.stderr(), predict.stdout(), predict.stderr(),
        read(output + "/metrics.json"), read(scored + "/metrics.json"), read(output + "/report/index.html"))) {
      assertThat(text).doesNotContain(SECRET_KEY);
    }
  }

  @Test
  void wrongCredentialsFailWithOneLineAndWriteNothing() throws IOException {
    String output = "s3a://" + BUCKET + "/models/denied";
    List<String> all = new ArrayList<>();
    settings().forEach((k, v) -> all.addAll(List.of("--conf",
        k + "=" + (k.endsWith("secret.key") ? "wrong-secret" : v))));
    all.addAll(List.of("fit", "--input", "s3a://" + BUCKET + "/events/iris", "--k", "2", "--output", output));
    Launcher.Result r = Launcher.gmm(tmp.resolve("logs"), Map.of(), all.toArray(String[]::new));
    assertThat(r.status()).isNotZero();
    assertThat(r.stderr().lines().filter(l -> l.startsWith("gmm: "))).hasSize(1);
    assertThat(r.stderr()).doesNotContain("wrong-secret");
    assertThat(names("s3a://" + BUCKET + "/models")).noneMatch(n -> n.contains("denied"));
  }

  /**
   * A run killed in the middle of the switch, while S3A's rename copies the new output into place
   * key by key: the target never shows _SUCCESS over the partial copy, the old output waits whole
   * aside, the next run writing that output puts it back first, and a run to the end leaves only
   * the new output.
   */
  @Test
  void aRunKilledDuringTheSwitchNeverLeavesSuccessOverAPartialOutput() throws Exception {
    Path fitted = tmp.resolve("iris-model");
    Gmm.run("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(), "--k", "3",
        "--no-report", "--output", fitted.toString()).ok();
    String output = "s3a://" + BUCKET + "/samples/iris";
    Path onDisk = tmp.resolve("s3-data").resolve(BUCKET).resolve("samples/iris");
    String[] sample = {"sample", "--model", fitted.toString(), "--n", "20000", "--partitions", "200", "--output",
        output};
    gmm(sample).ok();
    assertThat(partFiles(onDisk.resolve("sample"))).isEqualTo(200);

    List<String> all = new ArrayList<>();
    settings().forEach((k, v) -> all.addAll(List.of("--conf", k + "=" + v)));
    all.addAll(List.of(sample));
    all.addAll(List.of("--seed", "1", "--overwrite"));
    Launcher.Running second = Launcher.startGmm(tmp.resolve("logs"), Map.of(), all.toArray(String[]::new));
    boolean emptied = false;
    int seen = 0;
    try {
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (second.process().isAlive() && System.nanoTime() < deadline) {
        int n = partFiles(onDisk.resolve("sample"));
        emptied |= n == 0; // the old output has moved aside
        if (emptied && n > 0) { // the new output is being copied in
          seen = n;
          break;
        }
        Thread.sleep(1);
      }
    } finally {
      second.kill();
    }
    assertThat(seen).as("killed during the copy into place; stderr:\n%s", second.stderr()).isBetween(1, 199);
    assertThat(onDisk.resolve("_SUCCESS")).as("no _SUCCESS over a partial output").doesNotExist();
    assertThat(names("s3a://" + BUCKET + "/samples")).anyMatch(n -> n.startsWith(".iris.old-"));

    // The next run writing there puts the old output back first (then refuses: it exists).
    Launcher.Result refused = gmm(sample);
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.stderr()).contains("already exists");
    assertThat(onDisk.resolve("_SUCCESS")).exists();
    assertThat(partFiles(onDisk.resolve("sample"))).isEqualTo(200);
    assertThat(read(output + "/metrics.json")).contains("\"seed\" : 0");

    gmm(concatArgs(sample, "--seed", "1", "--overwrite")).ok();
    assertThat(read(output + "/metrics.json")).contains("\"seed\" : 1");
    assertThat(partFiles(onDisk.resolve("sample"))).isEqualTo(200);
    // Nothing of the old output or of the killed run's staging directory is left.
    assertThat(names("s3a://" + BUCKET + "/samples")).containsExactly("iris");
  }

  /** Killed at each moment of the commit, held there by a failpoint (see {@link CommitKills}). */
  @Test
  void aRunKilledAtAnyMomentOfTheCommitLeavesOneWholeOutput() throws Exception {
    Path model = tmp.resolve("commit-model");
    Gmm.run("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(), "--k", "3",
        "--no-report", "--output", model.toString()).ok();
    List<String> conf = new ArrayList<>();
    settings().forEach((k, v) -> conf.addAll(List.of("--conf", k + "=" + v)));
    CommitKills.check(s3, "s3a://" + BUCKET + "/commits/iris", model, tmp.resolve("logs"), conf.toArray(String[]::new));
  }

  private static String[] concatArgs(String[] head, String... tail) {
    String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  /** Parquet part files under a directory of S3Proxy's file-system store (0 when it is not there). */
  private static int partFiles(Path dir) {
    try (var s = Files.list(dir)) {
      return (int) s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
    } catch (IOException gone) {
      return 0;
    }
  }

  private static List<String> names(String dir) throws IOException {
    return HadoopFiles.names(s3, dir);
  }

  private static String read(String file) throws IOException {
    return HadoopFiles.read(s3, file);
  }
}
