package org.sparkgmm.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real standalone Spark cluster on loopback, from a real Spark distribution: pip's pyspark at our
 * Spark version ({@link PythonEnv#sparkHome()}), whose {@code bin/spark-class} starts one Master and
 * one Worker JVM (2 cores), as {@code sbin/start-master.sh} would. The Worker's executors run in
 * their own JVMs on the distribution's jars. Jobs reach it through the distribution's
 * {@code bin/spark-submit} ({@link #environment()} sets SPARK_HOME), or through the launcher's
 * Maven-classpath SparkSubmit when SPARK_HOME is unset (a machine without Spark installed).
 * {@link #close()} stops everything it started, executors included, even after a failure.
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path dir;
  private final Path home;
  private final List<Process> processes = new ArrayList<>();
  private final int masterPort;
  private final int masterUiPort;

  private StandaloneCluster(Path dir) {
    this.dir = dir;
    this.home = PythonEnv.sparkHome();
    this.masterPort = Launcher.freePort();
    this.masterUiPort = Launcher.freePort();
  }

  /** Starts the Master and a Worker under {@code dir} and waits until the Worker has registered. */
  public static StandaloneCluster start(Path dir) throws IOException, InterruptedException {
    StandaloneCluster c = new StandaloneCluster(dir);
    try {
      c.launch();
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void launch() throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("work"));

    processes.add(daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort)));
    waitFor("\"url\"", Duration.ofSeconds(60));
    processes.add(daemon("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
        "--port", Integer.toString(Launcher.freePort()), "--webui-port", Integer.toString(Launcher.freePort()),
        "--cores", "2", "--memory", "2g", "--work-dir", work.toString(), masterUrl()));
    waitFor("\"aliveworkers\" : 1", Duration.ofSeconds(60));
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The Spark installation the daemons run from: {@code bin/spark-submit}, {@code bin/spark-class}, {@code jars/}. */
  public Path sparkHome() {
    return home;
  }

  /** What a driver process needs to submit through the distribution's spark-submit (it finds Java on PATH). */
  public Map<String, String> environment() {
    return Map.of("SPARK_HOME", home.toString(), "SPARK_LOCAL_IP", "127.0.0.1",
        "JAVA_HOME", System.getProperty("java.home"), "PYSPARK_PYTHON", PythonEnv.python().toString());
  }

  /** The Master's status page (JSON): applications that ran, workers. */
  public String status() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
  }

  private Process daemon(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/spark-class").toString(), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(environment());
    pb.environment().put("SPARK_DAEMON_MEMORY", "512m");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve(name + ".log").toFile());
    return pb.start();
  }

  private void waitFor(String marker, Duration limit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("A cluster daemon exited with status " + p.exitValue() + "\n" + logs());
        }
      }
      try {
        if (status().contains(marker)) {
          return;
        }
      } catch (IOException notYet) {
        // The web UI is not up yet.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("The standalone cluster did not come up in " + limit + "\n" + logs());
  }

  /** The executor JVMs running now (the Worker's children running CoarseGrainedExecutorBackend). */
  public List<ProcessHandle> executors() {
    return processes.stream().flatMap(Process::descendants).filter(StandaloneCluster::isExecutor).toList();
  }

  private static boolean isExecutor(ProcessHandle h) {
    return Launcher.commandLine(h).contains("CoarseGrainedExecutorBackend");
  }

  /** The daemons' logs, for failure messages. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("master", "worker")) {
      Path log = dir.resolve(name + ".log");
      try {
        b.append("--- ").append(name).append(".log\n").append(Files.exists(log) ? Files.readString(log) : "(none)\n");
      } catch (IOException e) {
        b.append("(unreadable: ").append(e.getMessage()).append(")\n");
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
