package org.sparkgmm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sparkgmm.cli.Main;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;

/** Runs the gmm command line in this JVM (on the shared session) and reads what it wrote. */
public final class Gmm {
  /** What one command did. */
  public record Run(int status, String out, String err) {
    /** Asserts success, showing the output on failure. */
    public Run ok() {
      assertThat(status).as("exit status; stderr:\n%s\nstdout:\n%s", err, out).isZero();
      return this;
    }
  }

  private Gmm() {}

  public static Run run(String... args) {
    SharedSpark.session();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Mixture model(Path output) {
    try {
      Path file = output.resolve("model/model.json");
      return ModelJson.read(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode metrics(Path output) {
    try {
      return new ObjectMapper().readTree(output.resolve("metrics.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes rows as a CSV with a header, values in round-trip precision. */
  public static Path writeCsv(Path file, List<String> header, double[][] rows) {
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", header));
    for (double[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < r.length; j++) {
        b.append(j == 0 ? "" : ",").append(Double.toString(r[j]));
      }
      lines.add(b.toString());
    }
    try {
      Files.write(file, lines);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every path under {@code dir} (recursively), for "nothing was left behind" checks. */
  public static List<Path> listAll(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
