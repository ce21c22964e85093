package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SharedSpark;
import org.sparkgmm.testing.SklearnFixture;

/**
 * predict, score and sample against scikit-learn (same model, same data) and against the model's
 * own parameters. References: {@code common/src/test/resources/sklearn/make_reference.py}.
 */
class ModelUseIT {
  /** Issue acceptance: predict and score agree with scikit-learn to this (absolute on probabilities). */
  private static final double SKLEARN_APPLY = 1e-9;
  /** Posteriors of a row sum to 1 within this. */
  private static final double PROBABILITY_SUM = 1e-12;

  @TempDir
  Path tmp;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String set : SklearnFixture.DATASETS) {
      for (CovarianceType t : CovarianceType.values()) {
        out.add(Arguments.of(set, t));
      }
    }
    return out.stream();
  }

  /** The fixture's data with an id column first, and sklearn's fitted model as model.json. */
  private record Setup(Path data, Path model, SklearnFixture fixture) {}

  private Setup setup(String set, CovarianceType type) throws Exception {
    SklearnFixture f = SklearnFixture.load(set);
    double[][] x = f.data();
    double[][] withId = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      withId[i] = new double[x[i].length + 1];
      withId[i][0] = i;
      System.arraycopy(x[i], 0, withId[i], 1, x[i].length);
    }
    List<String> header = new ArrayList<>(List.of("id"));
    header.addAll(f.features());
    Path data = Gmm.writeCsv(tmp.resolve(set + ".csv"), header, withId);
    Path model = Files.writeString(tmp.resolve(set + "-" + type.externalName() + ".json"), f.expectedModelJson(type));
    return new Setup(data, model, f);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void predictReproducesScikitLearn(String set, CovarianceType type) throws Exception {
    Setup s = setup(set, type);
    Path out = tmp.resolve("pred");
    Gmm.run("predict", "--model", s.model().toString(), "--input", s.data().toString(), "--output", out.toString(),
        "--keep-cols", "id", "--log-proba").ok();
    SklearnFixture.Predictions expected = s.fixture().predictions(type);
    List<Row> rows = SharedSpark.session().read().parquet(out.resolve("predictions").toString()).orderBy("id")
        .collectAsList();
    assertThat(rows).hasSize(expected.predict().length);
    for (Row r : rows) {
      int i = (int) r.getDouble(r.fieldIndex("id"));
      assertThat(r.getInt(r.fieldIndex("prediction"))).as("prediction of row %d", i).isEqualTo(expected.predict()[i]);
      List<Double> p = r.getList(r.fieldIndex("probability"));
      List<Double> logP = r.getList(r.fieldIndex("log_probability"));
      double sum = 0.0;
      for (int c = 0; c < p.size(); c++) {
        assertThat(p.get(c)).as("P(%d | row %d)", c, i).isCloseTo(expected.predictProba()[i][c],
            org.assertj.core.api.Assertions.within(SKLEARN_APPLY));
        assertThat(Math.exp(logP.get(c))).as("exp log P(%d | row %d)", c, i).isCloseTo(p.get(c),
            org.assertj.core.api.Assertions.within(1e-15));
        sum += p.get(c);
      }
      assertThat(sum).as("probabilities of row %d", i).isCloseTo(1.0,
          org.assertj.core.api.Assertions.within(PROBABILITY_SUM));
      double ll = r.getDouble(r.fieldIndex("log_likelihood"));
      assertThat(ll).as("log_likelihood of row %d", i).isCloseTo(expected.scoreSamples()[i],
          org.assertj.core.api.Assertions.within(SKLEARN_APPLY * Math.max(1.0, Math.abs(ll))));
    }
    JsonNode metrics = Gmm.metrics(out);
    assertThat(metrics.get("command").asText()).isEqualTo("predict");
    assertThat(metrics.get("n_rows").asLong()).isEqualTo(rows.size());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void scoreReproducesScikitLearn(String set, CovarianceType type) throws Exception {
    Setup s = setup(set, type);
    Path out = tmp.resolve("score");
    Gmm.Run run = Gmm.run("score", "--model", s.model().toString(), "--input", s.data().toString(), "--output",
        out.toString()).ok();
    JsonNode printed = new ObjectMapper().readTree(run.out());
    for (String field : List.of("score", "bic", "aic")) {
      double expected = s.fixture().resultValue(type, field);
      double actual = printed.get(field.equals("score") ? "mean_log_likelihood" : field).asDouble();
      assertThat(actual).as(field).isCloseTo(expected,
          org.assertj.core.api.Assertions.within(SKLEARN_APPLY * Math.abs(expected)));
    }
    assertThat(Gmm.metrics(out)).as("metrics.json equals what was printed").isEqualTo(printed);
  }

  @Test
  void fitPredictionsEqualPredictOnTheTrainingData() throws Exception {
    Setup s = setup("iris", CovarianceType.FULL);
    Path fit = tmp.resolve("fit");
    Gmm.run("fit", "--input", s.data().toString(), "--features", String.join(",", s.fixture().features()), "--k", "3",
        "--output", fit.toString(), "--predictions", "--keep-cols", "id").ok();
    Path pred = tmp.resolve("pred");
    Gmm.run("predict", "--model", fit.toString(), "--input", s.data().toString(), "--output", pred.toString(),
        "--keep-cols", "id").ok();
    var spark = SharedSpark.session();
    List<Row> a = spark.read().parquet(fit.resolve("predictions").toString()).orderBy("id").collectAsList();
    List<Row> b = spark.read().parquet(pred.resolve("predictions").toString()).orderBy("id").collectAsList();
    assertThat(a).hasSize(150).isEqualTo(b);
  }

  @Test
  void predictFindsAVectorColumnModelsFeaturesAndSkipsInvalidRows() throws Exception {
    Path model = Files.writeString(tmp.resolve("m.json"), ModelJson.write(twoBlobs(List.of("v[0]", "v[1]"))));
    var spark = SharedSpark.session();
    Path input = tmp.resolve("vec.parquet");
    spark.sql("SELECT id, array(CAST(id AS DOUBLE), CASE WHEN id = 3 THEN CAST('NaN' AS DOUBLE) ELSE 1.0 END) AS v"
        + " FROM range(10)").write().parquet(input.toString());
    Path out = tmp.resolve("out");
    Gmm.run("predict", "--model", model.toString(), "--input", input.toString(), "--output", out.toString(),
        "--keep-cols", "id", "--invalid-rows", "skip").ok();
    List<Row> rows = spark.read().parquet(out.resolve("predictions").toString()).orderBy("id").collectAsList();
    assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(0L, 1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(rows).extracting(r -> r.getInt(1)).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 1);
    assertThat(Gmm.metrics(out).get("rows_skipped").asLong()).isEqualTo(1);
  }

  /** Two unit-variance components at (0,1) and (9,1) with equal weights. */
  private static Mixture twoBlobs(List<String> features) {
    return ModelJson.read("{\"format\":\"spark-gmm-model\",\"format_version\":1,\"covariance_type\":\"diag\","
        + "\"n_components\":2,\"n_features\":2,\"features\":[\"" + features.get(0) + "\",\"" + features.get(1) + "\"],"
        + "\"weights\":[0.5,0.5],\"means\":[[0,1],[9,1]],\"covariances\":[[1,1],[1,1]]}", "test");
  }

  @Test
  void sampleMatchesTheModelWithinSamplingErrorAndIsReproducible() throws Exception {
    // sklearn's fitted 10-D, 3-component full-covariance model: unequal weights, correlated features.
    Mixture m = SklearnFixture.load("synthetic10").expectedModel(CovarianceType.FULL);
    Path model = Files.writeString(tmp.resolve("m.json"), ModelJson.write(m));
    int n = 200_000;
    Path one = tmp.resolve("one");
    Path oneAgain = tmp.resolve("one-again");
    Path four = tmp.resolve("four");
    Gmm.run("sample", "--model", model.toString(), "--n", Integer.toString(n), "--seed", "7", "--partitions", "1",
        "--output", one.toString()).ok();
    Gmm.run("sample", "--model", model.toString(), "--n", Integer.toString(n), "--seed", "7", "--partitions", "1",
        "--output", oneAgain.toString()).ok();
    Gmm.run("sample", "--model", model.toString(), "--n", Integer.toString(n), "--seed", "7", "--partitions", "4",
        "--output", four.toString()).ok();
    List<double[]> a = rows(one, m.dimension());
    assertThat(a).hasSize(n);
    assertThat(rows(oneAgain, m.dimension())).as("same seed, 1 partition").containsExactlyElementsOf(a);
    assertThat(rows(four, m.dimension())).as("same seed, 4 partitions").containsExactlyElementsOf(a);
    Path otherSeed = tmp.resolve("other");
    Gmm.run("sample", "--model", model.toString(), "--n", "1000", "--seed", "8", "--output", otherSeed.toString()).ok();
    assertThat(rows(otherSeed, m.dimension()).get(0)).as("another seed draws other rows").isNotEqualTo(a.get(0));
    assertSampleMatches(a, m);
  }

  /** Rows (features then component) sorted, so that file order does not matter. */
  private static List<double[]> rows(Path out, int d) {
    List<double[]> rows = new ArrayList<>();
    for (Row r : SharedSpark.session().read().parquet(out.resolve("sample").toString()).collectAsList()) {
      double[] v = new double[d + 1];
      for (int j = 0; j < d; j++) {
        v[j] = r.getDouble(j);
      }
      v[d] = r.getInt(d);
      rows.add(v);
    }
    rows.sort(Comparator.comparingDouble((double[] v) -> v[0]).thenComparingDouble(v -> v[1]));
    return rows;
  }

  /**
   * Shares, means and covariances within 5 standard errors: a share's is sqrt(w(1-w)/n), a mean
   * coordinate's sqrt(S_aa/n_c), a covariance entry's sqrt((S_ab^2 + S_aa S_bb)/n_c) (Gaussian data).
   */
  private static void assertSampleMatches(List<double[]> rows, Mixture m) {
    int k = m.components();
    int d = m.dimension();
    double n = rows.size();
    for (int c = 0; c < k; c++) {
      List<double[]> own = new ArrayList<>();
      for (double[] r : rows) {
        if ((int) r[d] == c) {
          own.add(r);
        }
      }
      double w = m.weights()[c];
      double nc = own.size();
      assertThat(Math.abs(nc / n - w)).as("share of component %d", c).isLessThan(5 * Math.sqrt(w * (1 - w) / n));
      double[] mean = new double[d];
      for (double[] r : own) {
        for (int j = 0; j < d; j++) {
          mean[j] += r[j] / nc;
        }
      }
      double[][] sigma = m.asGaussian().orElseThrow().covarianceMatrix(c);
      for (int a = 0; a < d; a++) {
        assertThat(Math.abs(mean[a] - m.means()[c][a])).as("mean %d of component %d", a, c)
            .isLessThan(5 * Math.sqrt(sigma[a][a] / nc));
        for (int b = 0; b <= a; b++) {
          double s = 0.0;
          for (double[] r : own) {
            s += (r[a] - mean[a]) * (r[b] - mean[b]);
          }
          s /= nc - 1;
          double se = Math.sqrt((sigma[a][b] * sigma[a][b] + sigma[a][a] * sigma[b][b]) / nc);
          assertThat(Math.abs(s - sigma[a][b])).as("covariance (%d,%d) of component %d", a, b, c).isLessThan(5 * se);
        }
      }
    }
  }
}
