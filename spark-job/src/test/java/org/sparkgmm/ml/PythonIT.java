package org.sparkgmm.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.testing.Launcher;
import org.sparkgmm.testing.PythonEnv;

/**
 * The Python API's own tests ({@code spark-job/src/test/python}, pytest) in the pinned pyspark
 * environment, as part of {@code mvn verify}: their output is printed, and any failure fails this.
 */
class PythonIT {
  @TempDir
  Path tmp;

  @Test
  void pytestPasses() {
    Launcher.Result r = Launcher.run(tmp, PythonEnv.environment(), List.of(PythonEnv.python().toString(), "-m",
        "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", tmp.resolve("pytest").toString(),
        Launcher.ROOT.resolve("spark-job/src/test/python").toString()));
    System.out.println(r.stdout());
    assertThat(r.status()).as("pytest exit status; its output:\n%s\n%s", r.stdout(), r.stderr()).isZero();
    assertThat(r.stdout()).containsPattern("\\d+ passed").doesNotContain("skipped").doesNotContain("failed");
  }
}
