package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;

/**
 * 220 degenerate or malformed inputs, drawn from a seed: duplicated points, fewer distinct points
 * than k, collinear features, features 1e12 apart in scale, values near 1e-300 or 1e300, data
 * offset by 1e15, constant features, NaN cells, stray words. Every one ends in exit 0 with a valid
 * model (it reads back, which checks every number finite, weights summing to 1 and covariances
 * positive definite) and no NaN or Infinity in any file, or in exit 3 with one message line and no
 * output at all. Where the model's covariance in some direction is the regularisation alone, a
 * warning line and metrics' {@code regularised} say so.
 */
class DegenerateDataIT {
  private static final String[] KINDS = {"duplicates", "few-distinct", "collinear", "scale-1e12", "tiny-1e-300",
      "huge-1e300", "offset-1e15", "constant", "nan-cells", "stray-word", "mixed"};
  private static final String[] TYPES = {"full", "tied", "diag", "spherical"};

  @TempDir
  Path tmp;

  static Stream<Arguments> inputs() {
    return IntStream.range(0, 220).mapToObj(i -> Arguments.of(i, KINDS[i % KINDS.length]));
  }

  /** The CSV lines of case {@code seed}. */
  static List<String> table(int seed, String kind) {
    SplittableRandom r = new SplittableRandom(1000L + seed);
    int n = 5 + r.nextInt(120);
    int d = 1 + r.nextInt(4);
    List<String> lines = new ArrayList<>();
    List<String> header = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      header.add("x" + j);
    }
    lines.add(String.join(",", header));
    double[][] few = new double[1 + r.nextInt(3)][d];
    for (double[] row : few) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian();
      }
    }
    for (int i = 0; i < n; i++) {
      String[] cells = new String[d];
      double base = r.nextGaussian();
      for (int j = 0; j < d; j++) {
        double v = r.nextGaussian() + (i % 2 == 0 ? 0 : 4);
        switch (kind) {
          case "duplicates" -> v = few[0][j];
          case "few-distinct" -> v = few[i % few.length][j];
          case "collinear" -> v = j == 0 ? base : (j + 1) * base - j;
          case "scale-1e12" -> v = j == 0 ? v * 1e12 : v;
          case "tiny-1e-300" -> v = v * 1e-300;
          case "huge-1e300" -> v = v * 1e300;
          case "offset-1e15" -> v = v + 1e15;
          case "constant" -> v = j == d - 1 ? 7.25 : v;
          case "mixed" -> v = r.nextInt(3) == 0 ? v * 1e12 : r.nextInt(2) == 0 ? few[0][j] : v + 1e15;
          default -> { }
        }
        cells[j] = Double.toString(v);
      }
      if (kind.equals("nan-cells") && r.nextInt(4) == 0) {
        cells[r.nextInt(d)] = "NaN";
      }
      if (kind.equals("stray-word") && i == n / 2) {
        cells[r.nextInt(d)] = "n/a";
      }
      lines.add(String.join(",", cells));
    }
    return lines;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("inputs")
  void endsInAValidModelOrOneClearLine(int seed, String kind) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> lines = table(seed, kind);
    int d = lines.get(0).split(",").length;
    Path data = Files.write(tmp.resolve("data.csv"), lines);
    Path out = tmp.resolve("out");
    String type = TYPES[r.nextInt(TYPES.length)];
    List<String> args = new ArrayList<>(List.of("fit", "--input", data.toString(), "--k",
        Integer.toString(1 + r.nextInt(4)), "--covariance", type, "--seed", Integer.toString(seed), "--output",
        out.toString()));
    if (seed % 10 != 0) {
      args.add("--no-report");
    }
    if (kind.equals("nan-cells") && r.nextBoolean()) {
      args.addAll(List.of("--missing", "marginalize"));
    }
    Gmm.Run run = Gmm.run(args.toArray(String[]::new));
    String what = String.format(Locale.ROOT, "case %d (%s) %s%nstderr:%n%s", seed, kind, args, run.err());
    assertThat(run.status()).as(what).isIn(0, 3);
    if (run.status() == 3) {
      assertThat(run.err().lines().filter(l -> l.startsWith("gmm: ") || l.startsWith("\tat ")).toList()).as(what)
          .hasSize(1);
      assertThat(out).as(what).doesNotExist();
      assertThat(Gmm.listAll(tmp).stream().map(p -> p.getFileName().toString())).as(what)
          .noneMatch(n -> n.contains("staging"));
      return;
    }
    for (Path f : Gmm.listAll(out)) {
      if (f.toString().endsWith(".json") || f.toString().endsWith(".html")) {
        assertThat(Files.readString(f)).as("%s in %s", what, f).doesNotContain("NaN").doesNotContain("Infinity");
      }
    }
    Mixture m = ModelJson.read(Files.readString(out.resolve("model/model.json")), "model.json");
    for (double w : m.weights()) {
      assertThat(w).as(what).isBetween(0.0, 1.0);
    }
    JsonNode metrics = Gmm.metrics(out);
    assertThat(Double.isFinite(metrics.get("log_likelihood").asDouble())).as(what).isTrue();
    assertThat(run.err()).as(what).contains("fit: converged").doesNotContain("Exception");
    // What the regularisation decided is said: exactly collinear features leave full and tied
    // covariances no spread in some direction, and a constant feature has the regularisation for
    // its variance in every component (values near 1e-300, whose squares underflow, are refused).
    if (kind.equals("constant") && !type.equals("spherical")) {
      assertThat(metrics.get("constant_features").toString()).as(what).contains("\"x" + (d - 1) + "\"");
      assertThat(run.err()).as(what).contains("fit: warning: constant or nearly constant feature");
    }
    boolean floor = kind.equals("collinear") && d > 1 && (type.equals("full") || type.equals("tied"));
    if (floor) {
      assertThat(metrics.get("regularised")).as(what).isNotEmpty();
      assertThat(run.err()).as(what).contains("fit: warning: component ").contains("at the reg_covar floor");
    }
  }
}
