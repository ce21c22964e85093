package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparkgmm.component.Factor.categorical;
import static org.sparkgmm.component.Factor.gaussian;
import static org.sparkgmm.component.Factor.poisson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.component.Component;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.ml.SparkGmm;
import org.sparkgmm.ml.SparkGmmModel;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SharedSpark;

/** {@code --missing marginalize} through fit, select, predict (with {@code --impute}), score and the ML stage. */
class MissingValuesIT {
  private static final List<String> X4 = List.of("x0", "x1", "x2", "x3");

  @TempDir
  Path tmp;

  /** A CSV whose NaN cells are empty (Spark reads them as null), with an id column first. */
  static Path csv(Path file, List<String> header, double[][] rows) {
    List<String> lines = new ArrayList<>();
    lines.add("id," + String.join(",", header));
    for (int i = 0; i < rows.length; i++) {
      StringBuilder b = new StringBuilder().append(i);
      for (double v : rows[i]) {
        b.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
      }
      lines.add(b.toString());
    }
    try {
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The monotone-pattern fixture of common ({@code missing/make_monotone_reference.py}). */
  static JsonNode monotone() {
    try (InputStream in = MissingValuesIT.class.getResourceAsStream("/missing/monotone.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double[][] rows(JsonNode ref) {
    JsonNode j = ref.get("rows");
    double[][] rows = new double[j.size()][4];
    for (int i = 0; i < rows.length; i++) {
      for (int f = 0; f < 4; f++) {
        rows[i][f] = j.get(i).get(f).isNull() ? Double.NaN : j.get(i).get(f).asDouble();
      }
    }
    return rows;
  }

  /**
   * One full Gaussian on the monotone fixture, through the CLI reading a CSV with empty cells:
   * Anderson's closed form; without the option the same file is refused, naming the first hole.
   */
  @Test
  void fitMatchesTheClosedFormAndPredictImputesTheConditionalMean() throws Exception {
    JsonNode ref = monotone();
    double[][] rows = rows(ref);
    Path data = csv(tmp.resolve("monotone.csv"), X4, rows);
    Path out = tmp.resolve("fit");
    Gmm.Run refused = Gmm.run("fit", "--input", data.toString(), "--features", "x0,x1,x2,x3", "--k", "1",
        "--output", tmp.resolve("refused").toString());
    assertThat(refused.status()).isEqualTo(3);
    assertThat(refused.err()).contains("is null").contains("the first is row ").contains("--missing marginalize");
    assertThat(Gmm.listAll(tmp.resolve("refused"))).isEmpty();

    Gmm.Run run = Gmm.run("fit", "--input", data.toString(), "--features", "x0,x1,x2,x3", "--k", "1",
        "--missing", "marginalize", "--tol", "1e-15", "--max-iter", "5000", "--reg-covar", "0", "--output",
        out.toString()).ok();
    assertThat(run.err()).contains("fit: missing values: 247 rows miss some feature (360 cells: x2 113, x3 247)");
    Gaussians g = Gmm.model(out).asGaussian().orElseThrow();
    for (int a = 0; a < 4; a++) {
      assertThat(g.mean(0)[a]).isCloseTo(ref.get("mean").get(a).asDouble(), within(1e-6));
      for (int b = 0; b < 4; b++) {
        assertThat(g.covarianceMatrix(0)[a][b]).isCloseTo(ref.get("covariance").get(a).get(b).asDouble(), within(1e-6));
      }
    }
    String report = Files.readString(out.resolve("report/index.html"));
    assertThat(report).contains("missing in x2").contains("113 rows (18.8%)").contains("missing in x3");
    JsonNode missing = Gmm.metrics(out).get("missing");
    assertThat(missing.get("handling").asText()).isEqualTo("marginalize");
    assertThat(missing.get("rows_incomplete").asLong()).isEqualTo(247);
    assertThat(missing.get("cells").get("x3").asLong()).isEqualTo(247);
    assertThat(missing.get("cells").get("x0").asLong()).isZero();

    // predict --impute: the conditional mean of the fitted Gaussian, computed here in closed form.
    Path pred = tmp.resolve("pred");
    Gmm.run("predict", "--model", out.toString(), "--input", data.toString(), "--missing", "marginalize",
        "--impute", "--keep-cols", "id", "--output", pred.toString()).ok();
    double[] mu = g.mean(0);
    double[][] sigma = g.covarianceMatrix(0);
    List<Row> got = SharedSpark.session().read().parquet(pred.resolve("predictions").toString()).collectAsList();
    assertThat(got).hasSize(rows.length);
    for (Row r : got) {
      int i = r.getInt(r.fieldIndex("id"));
      double[] expected = conditionalMean(rows[i], mu, sigma);
      int holes = 0;
      for (int j = 0; j < 4; j++) {
        holes += Double.isNaN(rows[i][j]) ? 1 : 0;
        assertThat(r.getDouble(r.fieldIndex("imputed_x" + j))).as("row %d x%d", i, j)
            .isCloseTo(expected[j], within(1e-9));
      }
      assertThat(r.getInt(r.fieldIndex("imputed_count"))).isEqualTo(holes);
    }
    JsonNode pm = Gmm.metrics(pred).get("missing");
    assertThat(pm.get("imputed_cells").asLong()).isEqualTo(360);

    // Usage: --impute needs --missing marginalize; an unknown --missing value names the choices.
    Gmm.Run noOption = Gmm.run("predict", "--model", out.toString(), "--input", data.toString(), "--impute",
        "--output", tmp.resolve("p2").toString());
    assertThat(noOption.status()).isEqualTo(2);
    assertThat(noOption.err()).contains("--impute").contains("--missing marginalize");
    Gmm.Run bad = Gmm.run("fit", "--input", data.toString(), "--k", "1", "--missing", "drop", "--output",
        tmp.resolve("p3").toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--missing").contains("marginalize");
    assertThat(Gmm.listAll(tmp.resolve("p2"))).isEmpty();
    assertThat(Gmm.listAll(tmp.resolve("p3"))).isEmpty();

    // An infinite value stays invalid under --missing marginalize: exit 3 naming it, nothing written.
    List<String> lines = new ArrayList<>(Files.readAllLines(data));
    lines.set(5, lines.get(5).replaceFirst(",[^,]*$", ",Inf"));
    Path infinite = Files.write(tmp.resolve("infinite.csv"), lines);
    Gmm.Run inf = Gmm.run("fit", "--input", infinite.toString(), "--features", "x0,x1,x2,x3", "--k", "1",
        "--missing", "marginalize", "--output", tmp.resolve("p4").toString());
    assertThat(inf.status()).isEqualTo(3);
    assertThat(inf.err()).contains("1 row of").contains("infinite values").contains("row 5 ('x3' is Infinity)");
    assertThat(Gmm.listAll(tmp.resolve("p4"))).isEmpty();
  }

  /** {@code mu_M + S_MO S_OO^-1 (x_O - mu_O)} for the missing coordinates; observed ones as given. */
  static double[] conditionalMean(double[] x, double[] mu, double[][] sigma) {
    List<Integer> o = new ArrayList<>();
    List<Integer> m = new ArrayList<>();
    for (int j = 0; j < x.length; j++) {
      (Double.isNaN(x[j]) ? m : o).add(j);
    }
    double[] out = x.clone();
    if (m.isEmpty()) {
      return out;
    }
    double[][] soo = new double[o.size()][o.size()];
    double[][] smo = new double[m.size()][o.size()];
    for (int a = 0; a < o.size(); a++) {
      for (int b = 0; b < o.size(); b++) {
        soo[a][b] = sigma[o.get(a)][o.get(b)];
      }
      for (int p = 0; p < m.size(); p++) {
        smo[p][a] = sigma[m.get(p)][o.get(a)];
      }
    }
    RealMatrix b = new Array2DRowRealMatrix(smo).multiply(new LUDecomposition(new Array2DRowRealMatrix(soo))
        .getSolver().getInverse());
    for (int p = 0; p < m.size(); p++) {
      double v = mu[m.get(p)];
      for (int a = 0; a < o.size(); a++) {
        v += b.getEntry(p, a) * (x[o.get(a)] - mu[o.get(a)]);
      }
      out[m.get(p)] = v;
    }
    return out;
  }

  /** Without a missing value, fitting with and without the option gives the same model (1e-12). */
  @Test
  void withoutMissingValuesTheOptionChangesNothing() throws Exception {
    double[][] rows = MissingFixtures.threeGaussians().sample(3000, 5);
    Path data = Gmm.writeCsv(tmp.resolve("complete.csv"), X4, rows);
    Path off = tmp.resolve("off");
    Path on = tmp.resolve("on");
    Gmm.run("fit", "--input", data.toString(), "--k", "3", "--output", off.toString()).ok();
    Gmm.Run run = Gmm.run("fit", "--input", data.toString(), "--k", "3", "--missing", "marginalize", "--output",
        on.toString()).ok();
    assertThat(run.err()).doesNotContain("missing values:");
    Mixture a = Gmm.model(off);
    Mixture b = Gmm.model(on);
    assertThat(b.weights()).containsExactly(a.weights(), within(1e-12));
    Gaussians ga = a.asGaussian().orElseThrow();
    Gaussians gb = b.asGaussian().orElseThrow();
    assertThat(gb.covarianceValues()).containsExactly(ga.covarianceValues(), within(1e-12));
    for (int c = 0; c < 3; c++) {
      assertThat(gb.mean(c)).containsExactly(ga.mean(c), within(1e-12));
    }
  }

  /**
   * A Gaussian block with a Poisson count and a string category, 15% of cells empty, a few rows
   * entirely empty: fit counts and leaves out the empty rows, recovers the counts' rates; predict,
   * score and select take the same rows.
   */
  @Test
  void generalMixtureWithHolesFitsPredictsScoresAndSelects() throws Exception {
    Mixture truth = Mixture.ofComponents(new double[] {0.6, 0.4}, List.of(
        Component.of(gaussian(new double[] {0, 0}, new double[][] {{1, 0.4}, {0.4, 1}}), poisson(2),
            categorical(0.8, 0.1, 0.1)),
        Component.of(gaussian(new double[] {5, 3}, new double[][] {{1, -0.2}, {-0.2, 0.6}}), poisson(10),
            categorical(0.1, 0.2, 0.7))), List.of("a", "b", "n", "c"));
    double[][] x = truth.sample(3000, 8);
    SplittableRandom r = new SplittableRandom(4);
    String[] labels = {"red", "green", "blue"};
    List<String> lines = new ArrayList<>(List.of("id,a,b,n,c"));
    int empty = 0;
    boolean[] blank = new boolean[x.length];
    boolean[][] cell = new boolean[x.length][4];
    for (int i = 0; i < x.length; i++) {
      StringBuilder b = new StringBuilder().append(i);
      boolean none = i % 500 == 7;
      int holes = 0;
      for (int j = 0; j < 4; j++) {
        boolean hole = none || r.nextDouble() < 0.15;
        holes += hole ? 1 : 0;
        cell[i][j] = hole;
        String v = j == 3 ? labels[(int) x[i][j]] : j == 2 ? Long.toString((long) x[i][j]) : Double.toString(x[i][j]);
        b.append(',').append(hole ? "" : v);
      }
      blank[i] = holes == 4;
      empty += blank[i] ? 1 : 0;
      lines.add(b.toString());
    }
    Path data = Files.write(tmp.resolve("general.csv"), lines);
    Path out = tmp.resolve("general");
    Gmm.Run run = Gmm.run("fit", "--input", data.toString(), "--distributions", "(a,b):full,n:poisson,c:categorical",
        "--k", "2", "--missing", "marginalize", "--output", out.toString()).ok();
    assertThat(run.err()).contains("rows miss every feature, left out").contains(empty + " rows miss every feature");
    JsonNode metrics = Gmm.metrics(out);
    assertThat(metrics.get("n_rows").asLong()).isEqualTo(3000 - empty);
    assertThat(metrics.get("missing").get("rows_all_missing").asLong()).isEqualTo(empty);
    Mixture fit = Gmm.model(out);
    int high = fit.mean(0)[2] > fit.mean(1)[2] ? 0 : 1;
    assertThat(fit.mean(high)[2]).isCloseTo(10.0, within(0.4));
    assertThat(fit.mean(1 - high)[2]).isCloseTo(2.0, within(0.2));
    assertThat(fit.weights()[high]).isCloseTo(0.4, within(0.03));

    Path pred = tmp.resolve("general-pred");
    Gmm.Run p = Gmm.run("predict", "--model", out.toString(), "--input", data.toString(), "--missing", "marginalize",
        "--impute", "--keep-cols", "id", "--output", pred.toString()).ok();
    assertThat(p.err()).contains(empty + " missing every feature");
    List<Row> got = SharedSpark.session().read().parquet(pred.resolve("predictions").toString()).collectAsList();
    assertThat(got).hasSize(3000);
    for (Row row : got) {
      int i = row.getInt(row.fieldIndex("id"));
      if (blank[i]) {
        assertThat(row.isNullAt(row.fieldIndex("prediction"))).isTrue();
        continue;
      }
      assertThat(row.getInt(row.fieldIndex("prediction"))).isBetween(0, 1);
      assertThat(row.getString(row.fieldIndex("imputed_c"))).isIn((Object[]) labels);
      double n = row.getDouble(row.fieldIndex("imputed_n"));
      if (cell[i][2]) {
        // A missing count: the posterior-weighted rate, between the two components' rates.
        assertThat(n).isBetween(fit.mean(1 - high)[2] - 1e-9, fit.mean(high)[2] + 1e-9);
      } else {
        assertThat(n).isEqualTo((double) (long) x[i][2]);
      }
      if (!cell[i][3]) {
        assertThat(row.getString(row.fieldIndex("imputed_c"))).isEqualTo(labels[(int) x[i][3]]);
      }
    }
    Gmm.Run score = Gmm.run("score", "--model", out.toString(), "--input", data.toString(), "--missing",
        "marginalize").ok();
    JsonNode s = new ObjectMapper().readTree(score.out());
    assertThat(s.get("n_rows").asLong()).isEqualTo(3000 - empty);
    assertThat(s.get("mean_log_likelihood").asDouble()).isCloseTo(metrics.get("mean_log_likelihood").asDouble(),
        within(1e-6));
    Gmm.Run select = Gmm.run("select", "--input", data.toString(), "--distributions",
        "(a,b):full,n:poisson,c:categorical", "--k", "1,2,3", "--missing", "marginalize", "--output",
        tmp.resolve("select").toString()).ok();
    assertThat(Gmm.metrics(tmp.resolve("select")).get("n_components").asInt()).isEqualTo(2);
    assertThat(select.err()).contains("missing values:");
  }

  /** The Spark ML stage's {@code missing} param: fit and transform a vector column holding NaN. */
  @Test
  void pipelineStageMarginalisesNaN() {
    double[][] rows = MissingFixtures.punch(MissingFixtures.threeGaussians().sample(2000, 6), 0.2, 7);
    Path data = Gmm.writeCsv(tmp.resolve("nan.csv"), X4, rows);
    Dataset<Row> table = new VectorAssembler().setInputCols(X4.toArray(new String[0])).setOutputCol("features")
        .setHandleInvalid("keep").transform(SharedSpark.session().read().option("header", "true")
            .option("inferSchema", "true").csv(data.toString()));
    SparkGmmModel model = new SparkGmm().setK(3).setMissing("marginalize").fit(table);
    List<Row> out = model.transform(table).select("prediction").collectAsList();
    assertThat(out).hasSize(2000).allSatisfy(r -> assertThat(r.isNullAt(0)).isFalse());
    double[] w = model.mixture().weights().clone();
    java.util.Arrays.sort(w);
    assertThat(w).containsExactly(new double[] {0.2, 0.3, 0.5}, within(0.03));
  }
}
