package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparkgmm.component.Factor.categorical;
import static org.sparkgmm.component.Factor.exponential;
import static org.sparkgmm.component.Factor.logNormal;
import static org.sparkgmm.component.Factor.normal;
import static org.sparkgmm.component.Factor.poisson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.Factor;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.ml.SparkGmm;
import org.sparkgmm.ml.SparkGmmModel;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SharedSpark;

/** General mixtures through the command line and the Spark ML stage. */
class GeneralMixtureIT {
  private static final List<String> XYZ = List.of("x", "y", "z");

  @TempDir
  Path tmp;

  /**
   * pomegranate's example (its documentation's d1, d2): two (Normal, Exponential, LogNormal)
   * products, weights 0.66/0.34, standard deviations squared into variances.
   */
  static Mixture pomegranateExample() {
    return Mixture.ofComponents(new double[] {0.66, 0.34}, List.of(
        Component.of(normal(5, 4), exponential(1), logNormal(0.4, 0.01)),
        Component.of(normal(3, 1), exponential(2), logNormal(0.8, 0.04))), XYZ);
  }

  private static double[][] withId(double[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new double[rows[i].length + 1];
      out[i][0] = i;
      System.arraycopy(rows[i], 0, out[i], 1, rows[i].length);
    }
    return out;
  }

  private static List<String> header(List<String> features) {
    List<String> h = new ArrayList<>(List.of("id"));
    h.addAll(features);
    return h;
  }

  /** Matches fitted components to true ones by their means; index of the fitted one per true one. */
  private static int[] match(Mixture fitted, Mixture truth) {
    int[] m = new int[truth.components()];
    for (int c = 0; c < m.length; c++) {
      double best = Double.POSITIVE_INFINITY;
      for (int f = 0; f < m.length; f++) {
        double d = 0.0;
        for (int j = 0; j < truth.dimension(); j++) {
          double z = fitted.mean(f)[j] - truth.mean(c)[j];
          d += z * z / truth.covariance(c)[j][j];
        }
        if (d < best) {
          best = d;
          m[c] = f;
        }
      }
    }
    return m;
  }

  private static void assertUnivariateRecovered(Mixture fitted, Mixture truth, double rel) {
    int[] m = match(fitted, truth);
    assertThat(m[0]).isNotEqualTo(m[1]);
    for (int c = 0; c < truth.components(); c++) {
      assertThat(fitted.weights()[m[c]]).isCloseTo(truth.weights()[c], within(rel * truth.weights()[c]));
      List<Factor> t = truth.component(c).factors();
      List<Factor> f = fitted.component(m[c]).factors();
      for (int q = 0; q < t.size(); q++) {
        if (!(t.get(q) instanceof Factor.Univariate tu)) {
          continue;
        }
        double[] tp = tu.parameters();
        double[] fp = ((Factor.Univariate) f.get(q)).parameters();
        for (int i = 0; i < tp.length; i++) {
          double scale = tu.family().exponentialFamily() && i == 0
              && (tu.family() == UnivariateFamily.NORMAL || tu.family() == UnivariateFamily.LOG_NORMAL)
              ? Math.max(Math.abs(tp[0]), Math.sqrt(tp[1])) : Math.abs(tp[i]);
          assertThat(fp[i]).as("component %d %s parameter %d", c, tu.family(), i).isCloseTo(tp[i], within(rel * scale));
        }
      }
    }
  }

  /** The seed's first example through the CLI: three 3-D Gaussians with weights 0.25/0.60/0.15, as given. */
  @Test
  void givenGaussiansPredictAndScoreThroughTheCli() throws Exception {
    // pomegranate's documentation example, with correlations added to the first two so that the
    // full covariance path is exercised too.
    double[][][] covs = {{{1, 0.3, 0}, {0.3, 1, 0}, {0, 0, 1}}, {{1, 0, 0.5}, {0, 1, 0}, {0.5, 0, 2}},
        {{2, 0, 0}, {0, 3, 0}, {0, 0, 1}}};
    double[][] means = {{1, 6, 3}, {2, 8, 4}, {0, 4, 8}};
    List<Component> comps = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      comps.add(Component.of(Factor.gaussian(means[c], covs[c])));
    }
    Mixture m = Mixture.ofComponents(new double[] {0.25, 0.60, 0.15}, comps, List.of("a", "b", "c"));
    Path model = Files.writeString(tmp.resolve("given.json"), ModelJson.write(m));
    double[][] rows = m.sample(2000, 4);
    Path data = Gmm.writeCsv(tmp.resolve("given.csv"), header(m.features()), withId(rows));
    Path out = tmp.resolve("pred");
    Gmm.run("predict", "--model", model.toString(), "--input", data.toString(), "--output", out.toString(),
        "--keep-cols", "id").ok();
    double[] lp = m.logProbability(rows);
    double[][] post = m.predictProba(rows);
    int[] pred = m.predict(rows);
    List<Row> got = SharedSpark.session().read().parquet(out.resolve("predictions").toString()).orderBy("id")
        .collectAsList();
    assertThat(got).hasSize(rows.length);
    double sum = 0.0;
    for (Row r : got) {
      int i = (int) r.getDouble(r.fieldIndex("id"));
      assertThat(r.getInt(r.fieldIndex("prediction"))).isEqualTo(pred[i]);
      assertThat(r.getDouble(r.fieldIndex("log_likelihood"))).isCloseTo(lp[i], within(1e-9));
      List<Double> p = r.getList(r.fieldIndex("probability"));
      for (int c = 0; c < 3; c++) {
        assertThat(p.get(c)).isCloseTo(post[i][c], within(1e-12));
      }
      sum += lp[i];
    }
    Gmm.Run score = Gmm.run("score", "--model", model.toString(), "--input", data.toString()).ok();
    JsonNode printed = new ObjectMapper().readTree(score.out());
    assertThat(printed.get("mean_log_likelihood").asDouble()).isCloseTo(sum / rows.length, within(1e-10));
    assertThat(printed.get("n_parameters").asLong()).isEqualTo(3 * (3 + 6) + 2);
  }

  /** The seed's second example: 100k rows drawn by {@code gmm sample}, then a fit recovers the mixture. */
  @Test
  void pomegranatesExampleIsSampledAndRecoveredThroughTheCli() throws Exception {
    Mixture truth = pomegranateExample();
    Path model = Files.writeString(tmp.resolve("truth.json"), ModelJson.write(truth));
    Path sample = tmp.resolve("sample");
    Gmm.run("sample", "--model", model.toString(), "--n", "100000", "--seed", "5", "--output", sample.toString()).ok();
    Path fit = tmp.resolve("fit");
    Gmm.Run run = Gmm.run("fit", "--input", sample.resolve("sample").toString(), "--distributions",
        "x:normal,y:exponential,z:lognormal", "--k", "2", "--output", fit.toString()).ok();
    assertThat(run.err()).contains("k=2 x:normal,y:exponential,z:lognormal");
    Mixture fitted = Gmm.model(fit);
    assertUnivariateRecovered(fitted, truth, 0.05);
    JsonNode metrics = Gmm.metrics(fit);
    assertThat(metrics.get("distributions").asText()).isEqualTo("x:normal,y:exponential,z:lognormal");
    assertThat(metrics.get("n_parameters").asLong()).isEqualTo(11);
    assertThat(metrics.has("covariance_type")).isFalse();
    String report = Files.readString(fit.resolve("report/index.html"));
    for (String feature : XYZ) {
      assertThat(report).contains("Feature " + feature + ": the sampled rows' histogram");
    }
    assertThat(report).contains("lognormal").contains("meanlog");
    // The model file is the fully specified mixture predict and score use as given.
    assertThat(Files.readString(fit.resolve("model/model.json"))).contains("\"format_version\" : 2");
  }

  @Test
  void aFullBlockWithPoissonAndCategoricalThroughTheCli() throws Exception {
    double[][] cov0 = {{1.0, 0.6, 0.0}, {0.6, 1.0, 0.3}, {0.0, 0.3, 2.0}};
    double[][] cov1 = {{0.5, -0.2, 0.1}, {-0.2, 1.5, 0.0}, {0.1, 0.0, 0.7}};
    List<String> names = List.of("a", "b", "c", "d", "e");
    Mixture truth = Mixture.ofComponents(new double[] {0.55, 0.45}, List.of(
        Component.of(Factor.gaussian(new double[] {0, 0, 0}, cov0), poisson(2.0), categorical(0.7, 0.2, 0.1)),
        Component.of(Factor.gaussian(new double[] {3, 3, 1}, cov1), poisson(9.0), categorical(0.1, 0.3, 0.6))), names);
    double[][] rows = truth.sample(30_000, 8);
    Path data = Gmm.writeCsv(tmp.resolve("mixed.csv"), header(names), withId(rows));
    Path fit = tmp.resolve("fit");
    Gmm.run("fit", "--input", data.toString(), "--distributions", "(a,b,c):full,d:poisson,e:categorical", "--k", "2",
        "--output", fit.toString(), "--predictions", "--keep-cols", "id").ok();
    Mixture fitted = Gmm.model(fit);
    assertUnivariateRecovered(fitted, truth, 0.05);
    int[] m = match(fitted, truth);
    assertThat(fitted.covariance(m[0])[0][1]).isCloseTo(0.6, within(0.05));
    assertThat(fitted.covariance(m[1])[0][1]).isCloseTo(-0.2, within(0.05));
    assertThat(fitted.mean(m[1])[0]).isCloseTo(3.0, within(0.05));
    List<Row> pred = SharedSpark.session().read().parquet(fit.resolve("predictions").toString()).collectAsList();
    assertThat(pred).hasSize(rows.length);
    // The same predictions from predict on the saved model.
    Path again = tmp.resolve("again");
    Gmm.run("predict", "--model", fit.toString(), "--input", data.toString(), "--output", again.toString()).ok();
    assertThat(SharedSpark.session().read().parquet(again.resolve("predictions").toString()).count())
        .isEqualTo(rows.length);
  }

  @Test
  void valuesOutsideTheSupportAreBadInputUnlessSkipped() throws Exception {
    double[][] rows = pomegranateExample().sample(200, 1);
    rows[2][1] = -0.5;
    Path data = Gmm.writeCsv(tmp.resolve("bad.csv"), XYZ, rows);
    Path out = tmp.resolve("out");
    Gmm.Run failed = Gmm.run("fit", "--input", data.toString(), "--distributions", "x:normal,y:exponential,z:lognormal",
        "--k", "2", "--output", out.toString());
    assertThat(failed.status()).isEqualTo(3);
    assertThat(failed.err()).contains("1 row of").contains("out-of-support")
        .contains("row 3 ('y' is -0.5, which must be >= 0 for exponential)");
    assertThat(out).doesNotExist();
    Gmm.run("fit", "--input", data.toString(), "--distributions", "x:normal,y:exponential,z:lognormal", "--k", "2",
        "--output", out.toString(), "--invalid-rows", "skip").ok();
    assertThat(Gmm.metrics(out).get("rows_skipped").asLong()).isEqualTo(1);

    // A category the model never saw is refused by predict, naming it.
    Mixture cat = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(Component.of(normal(0, 1), categorical(0.5, 0.5)),
        Component.of(normal(3, 1), categorical(0.1, 0.9))), List.of("x", "e"));
    Path model = Files.writeString(tmp.resolve("cat.json"), ModelJson.write(cat));
    Path catData = Gmm.writeCsv(tmp.resolve("cat.csv"), List.of("x", "e"), new double[][] {{0.1, 0}, {2.0, 2}});
    Gmm.Run unseen = Gmm.run("predict", "--model", model.toString(), "--input", catData.toString(), "--output",
        tmp.resolve("p").toString());
    assertThat(unseen.status()).isEqualTo(3);
    assertThat(unseen.err()).contains("row 2 ('e' is 2.0, which is a category code the model does not know");
    assertThat(tmp.resolve("p")).doesNotExist();
  }

  @Test
  void initModelRefinesAndFreezeKeepsComponents() throws Exception {
    Mixture start = pomegranateExample();
    Path model = Files.writeString(tmp.resolve("start.json"), ModelJson.write(start));
    Path data = Gmm.writeCsv(tmp.resolve("d.csv"), XYZ, start.sample(3000, 2));
    Path out = tmp.resolve("refined");
    Gmm.run("fit", "--input", data.toString(), "--init-model", model.toString(), "--freeze", "1", "--max-iter", "5",
        "--output", out.toString()).ok();
    Mixture refined = Gmm.model(out);
    assertThat(refined.component(1)).usingRecursiveComparison().isEqualTo(start.component(1));
    assertThat(refined.component(0)).usingRecursiveComparison().isNotEqualTo(start.component(0));
    Gmm.Run bad = Gmm.run("fit", "--input", data.toString(), "--init-model", model.toString(), "--freeze", "4",
        "--output", tmp.resolve("x").toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--freeze 4: --init-model has components 0 to 1");
    Gmm.Run conflict = Gmm.run("fit", "--input", data.toString(), "--distributions", "x:normal,y:exponential,z:lognormal",
        "--covariance", "full", "--k", "2", "--output", tmp.resolve("y").toString());
    assertThat(conflict.status()).isEqualTo(2);
    assertThat(conflict.err()).contains("drop --covariance");
  }

  /** Labels, row weights and several starts work for general mixtures as they do for Gaussians. */
  @Test
  void labelsWeightsAndStartsWithDistributions() throws Exception {
    Mixture truth = pomegranateExample();
    org.sparkgmm.model.MixtureSampler sampler = org.sparkgmm.model.MixtureSampler.of(truth);
    int n = 6000;
    double[][] rows = new double[n][];
    List<String> lines = new ArrayList<>(List.of("x,y,z,w,label"));
    for (int i = 0; i < n; i++) {
      double[] r = new double[3];
      int c = sampler.draw(3, i, r);
      rows[i] = r;
      // Every 20th row carries its true component as a label; weight 2 on every third row.
      lines.add(r[0] + "," + r[1] + "," + r[2] + "," + (i % 3 == 0 ? 2 : 1) + "," + (i % 20 == 0 ? "c" + c : ""));
    }
    Path data = Files.write(tmp.resolve("labelled.csv"), lines);
    String spec = "x:normal,y:exponential,z:lognormal";
    Path labelled = tmp.resolve("labelled");
    Gmm.run("fit", "--input", data.toString(), "--distributions", spec, "--label-col", "label", "--weight-col", "w",
        "--output", labelled.toString()).ok();
    Mixture m = Gmm.model(labelled);
    // Components follow the labels' order: c0 is the first true component, c1 the second.
    assertThat(m.mean(0)[0]).isCloseTo(truth.mean(0)[0], within(0.2));
    assertThat(m.mean(1)[0]).isCloseTo(truth.mean(1)[0], within(0.2));
    assertThat(Gmm.metrics(labelled).get("labels").toString()).contains("c0").contains("c1");
    Path starts = tmp.resolve("starts");
    Gmm.run("fit", "--input", data.toString(), "--distributions", spec, "--k", "2", "--n-init", "3", "--weight-col", "w",
        "--output", starts.toString()).ok();
    JsonNode metrics = Gmm.metrics(starts);
    assertThat(metrics.get("starts")).hasSize(3);
    assertThat(metrics.get("weight_sum").asDouble()).isEqualTo(n + n / 3.0);
  }

  /** A string column as a categorical feature: labels become codes in sorted order and stay with the model. */
  @Test
  void aStringColumnIsACategoricalFeature() throws Exception {
    String[] colours = {"blue", "green", "red"};
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    List<String> lines = new ArrayList<>(List.of("x,colour"));
    for (int i = 0; i < 4000; i++) {
      boolean first = r.nextDouble() < 0.5;
      double x = first ? r.nextGaussian() : 6 + r.nextGaussian();
      double u = r.nextDouble();
      String c = first ? (u < 0.7 ? "red" : u < 0.9 ? "green" : "blue") : (u < 0.1 ? "red" : u < 0.3 ? "green" : "blue");
      lines.add(x + "," + c);
    }
    Path data = Files.write(tmp.resolve("colours.csv"), lines);
    Path fit = tmp.resolve("colours");
    Gmm.run("fit", "--input", data.toString(), "--distributions", "x:normal,colour:categorical", "--k", "2",
        "--output", fit.toString()).ok();
    Mixture m = Gmm.model(fit);
    assertThat(m.categories()).containsEntry("colour", List.of(colours));
    int red = m.mean(0)[0] < m.mean(1)[0] ? 0 : 1;
    double[] p = ((Factor.Univariate) m.component(red).factors().get(1)).parameters();
    assertThat(p[2]).as("P(red) in the component at x = 0").isCloseTo(0.7, within(0.05));
    Path scored = Files.write(tmp.resolve("new.csv"), List.of("x,colour", "0.1,red", "5.9,purple"));
    Gmm.Run unseen = Gmm.run("predict", "--model", fit.toString(), "--input", scored.toString(), "--output",
        tmp.resolve("p").toString());
    assertThat(unseen.status()).isEqualTo(3);
    assertThat(unseen.err()).contains("row 2 ('colour' holds a category the model does not know (it knows blue, green,"
        + " red))");
    Gmm.run("predict", "--model", fit.toString(), "--input", scored.toString(), "--output", tmp.resolve("q").toString(),
        "--invalid-rows", "skip").ok();
    List<Row> got = SharedSpark.session().read().parquet(tmp.resolve("q/predictions").toString()).collectAsList();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).getInt(got.get(0).fieldIndex("prediction"))).isEqualTo(red);
  }

  /** Every family through Spark: 1, 2 and 7 partitions give the same start and the same model. */
  @Test
  void oneTwoAndSevenPartitionsGiveTheSameModelForEveryFamily() throws Exception {
    List<String> names = List.of("n", "l", "e", "g", "p", "b", "c", "u", "t");
    Mixture truth = Mixture.ofComponents(new double[] {0.6, 0.4}, List.of(
        Component.of(normal(0, 1), logNormal(0, 0.25), exponential(1), Factor.gamma(2, 1), poisson(3),
            Factor.bernoulli(0.2), categorical(0.5, 0.3, 0.2), Factor.uniform(0, 1), Factor.studentT(0, 1, 5)),
        Component.of(normal(4, 2), logNormal(1, 0.25), exponential(0.3), Factor.gamma(5, 1), poisson(10),
            Factor.bernoulli(0.7), categorical(0.1, 0.2, 0.7), Factor.uniform(0.5, 2), Factor.studentT(5, 2, 3))),
        names);
    Path data = Gmm.writeCsv(tmp.resolve("all.csv"), names, truth.sample(5000, 21));
    String spec = "n:normal,l:lognormal,e:exponential,g:gamma,p:poisson,b:bernoulli,c:categorical,u:uniform,t:t";
    List<Mixture> models = new ArrayList<>();
    for (String parts : List.of("1", "2", "7")) {
      Path out = tmp.resolve("p" + parts);
      Gmm.run("fit", "--input", data.toString(), "--distributions", spec, "--k", "2", "--tol", "0", "--max-iter", "15",
          "--partitions", parts, "--no-report", "--output", out.toString()).ok();
      models.add(Gmm.model(out));
    }
    for (Mixture m : models.subList(1, 3)) {
      org.sparkgmm.testing.Tolerances.assertRelClose(m.weights(), models.get(0).weights(), 1e-9, "weights");
      for (int c = 0; c < 2; c++) {
        List<Factor> a = m.component(c).factors();
        List<Factor> e = models.get(0).component(c).factors();
        for (int q = 0; q < e.size(); q++) {
          org.sparkgmm.testing.Tolerances.assertRelClose(((Factor.Univariate) a.get(q)).parameters(),
              ((Factor.Univariate) e.get(q)).parameters(), 1e-9, "component " + c + " " + names.get(q));
        }
      }
    }
  }

  @Test
  void selectOverKWithDistributions() throws Exception {
    Path data = Gmm.writeCsv(tmp.resolve("s.csv"), XYZ, pomegranateExample().sample(4000, 6));
    Path out = tmp.resolve("select");
    Gmm.run("select", "--input", data.toString(), "--distributions", "x:normal,y:exponential,z:lognormal", "--k",
        "1..3", "--output", out.toString()).ok();
    JsonNode sel = new ObjectMapper().readTree(out.resolve("selection.json").toFile());
    assertThat(sel.get("candidates")).hasSize(3);
    assertThat(sel.get("best").get("k").asInt()).isEqualTo(2);
    assertThat(sel.get("best").get("distributions").asText()).isEqualTo("x:normal,y:exponential,z:lognormal");
    assertThat(sel.get("candidates").get(1).get("n_parameters").asLong()).isEqualTo(11);
    assertThat(Files.readString(out.resolve("selection.csv"))).startsWith("k,distributions,");
  }

  @Test
  void theSparkMlStageTakesDistributions() {
    double[][] rows = pomegranateExample().sample(20_000, 12);
    List<Row> list = new ArrayList<>();
    for (double[] r : rows) {
      list.add(org.apache.spark.sql.RowFactory.create(r[0], r[1], r[2]));
    }
    Dataset<Row> df = SharedSpark.session().createDataFrame(list, org.apache.spark.sql.types.DataTypes.createStructType(
        List.of(org.apache.spark.sql.types.DataTypes.createStructField("x", org.apache.spark.sql.types.DataTypes.DoubleType, false),
            org.apache.spark.sql.types.DataTypes.createStructField("y", org.apache.spark.sql.types.DataTypes.DoubleType, false),
            org.apache.spark.sql.types.DataTypes.createStructField("z", org.apache.spark.sql.types.DataTypes.DoubleType, false))));
    Dataset<Row> features = new VectorAssembler().setInputCols(new String[] {"x", "y", "z"}).setOutputCol("features")
        .transform(df);
    SparkGmmModel model = new SparkGmm().setK(2).setDistributions("x:normal,y:exponential,z:lognormal").fit(features);
    assertUnivariateRecovered(model.mixture(), pomegranateExample(), 0.1);
    assertThat(model.transform(features).select("prediction").distinct().count()).isEqualTo(2);
    String path = tmp.resolve("stage").toString();
    try {
      model.write().overwrite().save(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    SparkGmmModel back = SparkGmmModel.load(path);
    assertThat(back.mixture().component(1)).usingRecursiveComparison().isEqualTo(model.mixture().component(1));
    assertThat(back.mixture().describe()).isEqualTo("x:normal,y:exponential,z:lognormal");
  }
}
