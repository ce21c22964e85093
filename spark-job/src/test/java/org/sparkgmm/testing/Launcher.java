package org.sparkgmm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as separate processes the way a user would: {@code submit-scripts/gmm}, Python,
 * spark-submit. Output goes to files in a directory of the test's, so a hung process cannot block
 * on a full pipe; a process that overstays is killed with its children.
 */
public final class Launcher {
  /** The project's root (tests run in {@code spark-job/}). */
  public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  private static int counter;

  /** What one process did. */
  public record Result(int status, String stdout, String stderr) {
    /** Asserts exit status 0, showing both streams on failure. */
    public Result ok() {
      assertThat(status).as("exit status; stderr:\n%s\nstdout:\n%s", stderr, stdout).isZero();
      return this;
    }
  }

  private Launcher() {}

  /** {@code submit-scripts/gmm ARGS}, with SPARK_HOME unset unless {@code env} sets it. */
  public static Result gmm(Path logs, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("submit-scripts/gmm").toString());
    command.addAll(List.of(args));
    return run(logs, env, command);
  }

  /** Any command, from the project root, with {@code env} added to (or, for null values, removed from) ours. */
  public static Result run(Path logs, Map<String, String> env, List<String> command) {
    Running p = start(logs, env, command);
    try {
      if (!p.process().waitFor(5, TimeUnit.MINUTES)) {
        p.kill();
        throw new AssertionError("Timed out after 5 minutes: " + command + "\nstderr:\n" + p.stderr());
      }
      return p.result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A process started in the background; its streams go to files under the logs directory. */
  public record Running(Process process, Path out, Path err) {
    /** What it wrote to stderr so far. */
    public String stderr() {
      try {
        return Files.readString(err, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** SIGKILL to the process and everything it started, as a crash or {@code kill -9} would; waits for it. */
    public void kill() throws InterruptedException {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(60, TimeUnit.SECONDS);
    }

    /** The exit status and both streams, once it has ended. */
    public Result result() {
      try {
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** {@code submit-scripts/gmm ARGS} started in the background. */
  public static Running startGmm(Path logs, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("submit-scripts/gmm").toString());
    command.addAll(List.of(args));
    return start(logs, env, command);
  }

  /** Starts any command from the project root, as {@link #run} does, without waiting for it. */
  public static Running start(Path logs, Map<String, String> env, List<String> command) {
    try {
      Files.createDirectories(logs);
      int n;
      synchronized (Launcher.class) {
        n = ++counter;
      }
      Path out = logs.resolve("process-" + n + ".out");
      Path err = logs.resolve("process-" + n + ".err");
      ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
      pb.environment().remove("SPARK_HOME");
      env.forEach((k, v) -> {
        if (v == null) {
          pb.environment().remove(k);
        } else {
          pb.environment().put(k, v);
        }
      });
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      return new Running(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TCP port free on loopback right now, for a server a test starts. */
  public static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A running process's command line from /proc (ProcessHandle.Info leaves out command lines as
   * long as Spark's); empty once it has gone.
   */
  public static String commandLine(ProcessHandle h) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
    } catch (IOException gone) {
      return "";
    }
  }
}
