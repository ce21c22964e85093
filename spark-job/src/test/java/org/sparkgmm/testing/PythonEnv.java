package org.sparkgmm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pinned Python environments of {@code .ci/python-env} (created on first use, then reused):
 * {@code spark}, pip's pyspark at our Spark version (a real Spark distribution) with NumPy and pytest;
 * {@code airflow}, Apache Airflow and its Spark provider.
 */
public final class PythonEnv {
  private static final Map<String, Path> DIRS = new HashMap<>();
  private static Path sparkHome;
  /** The application jar, which also carries the spark_gmm package. */
  public static final Path JAR = Launcher.ROOT.resolve("spark-job/target/spark-gmm-0.1.0-SNAPSHOT.jar");

  private PythonEnv() {}

  /** The environment's directory, created if missing (needs the Python package index then). */
  public static synchronized Path dir(String name) {
    return DIRS.computeIfAbsent(name, n -> {
      Path logs = Path.of(System.getProperty("java.io.tmpdir"), "spark-gmm-python-env");
      Launcher.Result r = Launcher.run(logs, Map.of(), List.of(Launcher.ROOT.resolve(".ci/python-env").toString(), n)).ok();
      Path dir = Path.of(r.stdout().trim());
      if (!Files.isExecutable(dir.resolve("bin/python"))) {
        throw new IllegalStateException(".ci/python-env " + n + " printed " + dir + ", which has no bin/python");
      }
      return dir;
    });
  }

  /** {@code python} of the spark environment. */
  public static Path python() {
    return dir("spark").resolve("bin/python");
  }

  /** The pip-installed Spark distribution: {@code bin/spark-submit}, {@code bin/spark-class}, {@code jars/}. */
  public static synchronized Path sparkHome() {
    if (sparkHome == null) {
      Path logs = Path.of(System.getProperty("java.io.tmpdir"), "spark-gmm-python-env");
      sparkHome = Path.of(Launcher.run(logs, Map.of(), List.of(python().toString(), "-c",
          "import os, pyspark; print(os.path.dirname(pyspark.__file__))")).ok().stdout().trim());
    }
    return sparkHome;
  }

  /** The wheel {@code mvn package} built into {@code spark-job/target/python}. */
  public static Path wheel() {
    Path dir = Launcher.ROOT.resolve("spark-job/target/python");
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".whl")).findFirst()
          .orElseThrow(() -> new IllegalStateException("No wheel in " + dir + ": run 'mvn package'"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("No " + dir + ": run 'mvn package'", e);
    }
  }

  /** What a Python child process needs: the jar (and the project root) for the tests' scripts. */
  public static Map<String, String> environment() {
    return Map.of("SPARK_GMM_JAR", JAR.toString(), "SPARK_GMM_ROOT", Launcher.ROOT.toString(),
        "SPARK_GMM_WHEEL", wheel().toString(), "SPARK_LOCAL_IP", "127.0.0.1", "PYSPARK_PYTHON", python().toString());
  }
}
