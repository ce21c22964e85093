package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SharedSpark;

/** The same data as numeric columns, a Spark ML vector column, an array column or via a config file: one model. */
class InputFormsIT {
  private static final Path IRIS = Path.of(System.getProperty("user.dir")).getParent()
      .resolve("conf/examples/iris.parquet");

  @TempDir
  Path tmp;

  @Test
  void vectorAndArrayColumnsGiveTheModelOfTheNumericColumns() {
    Dataset<Row> iris = SharedSpark.session().read().parquet(IRIS.toString());
    String[] numeric = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
    Dataset<Row> withVector = new VectorAssembler().setInputCols(numeric).setOutputCol("v").transform(iris)
        .withColumn("a", functions.array(numeric[0], numeric[1], numeric[2], numeric[3]))
        .select("v", "a", "species");
    Path vectors = tmp.resolve("vectors.parquet");
    withVector.coalesce(1).write().parquet(vectors.toString());

    Gmm.run("fit", "--input", IRIS.toString(), "--k", "3", "--seed", "4", "--output", tmp.resolve("n").toString()).ok();
    Gmm.run("fit", "--input", vectors.toString(), "--features-col", "v", "--k", "3", "--seed", "4",
        "--output", tmp.resolve("v").toString()).ok();
    Gmm.run("fit", "--input", vectors.toString(), "--features-col", "a", "--k", "3", "--seed", "4",
        "--output", tmp.resolve("a").toString()).ok();

    Mixture n = Gmm.model(tmp.resolve("n"));
    Mixture v = Gmm.model(tmp.resolve("v"));
    Mixture a = Gmm.model(tmp.resolve("a"));
    InvarianceIT.assertSameModel(v, n, SUMMATION_ORDER, "vector column");
    InvarianceIT.assertSameModel(a, n, SUMMATION_ORDER, "array column");
    assertThat(v.features()).containsExactly("v[0]", "v[1]", "v[2]", "v[3]");
  }

  @Test
  void configFileSuppliesWhatTheCommandLineDoesNot() throws Exception {
    Path config = Files.writeString(tmp.resolve("job.properties"),
        "gmm.k=2\ngmm.covariance=spherical\ngmm.max-iter=3\ngmm.tol=0\ngmm.features=petal_length,petal_width\n");
    Path out = tmp.resolve("o");
    Gmm.run("fit", "--config", config.toString(), "--input", IRIS.toString(), "--max-iter", "5",
        "--output", out.toString()).ok();
    var metrics = Gmm.metrics(out);
    assertThat(metrics.get("n_components").asInt()).isEqualTo(2);
    assertThat(metrics.get("covariance_type").asText()).isEqualTo("spherical");
    assertThat(metrics.get("n_iter").asInt()).as("command line beats the file").isEqualTo(5);
    assertThat(metrics.get("converged").asBoolean()).isFalse();
  }

  @Test
  void warmStartFromAnOutputDirectory() {
    Path first = tmp.resolve("first");
    Gmm.run("fit", "--input", IRIS.toString(), "--k", "3", "--covariance", "diag", "--max-iter", "2", "--tol", "0",
        "--output", first.toString()).ok();
    Path second = tmp.resolve("second");
    Gmm.Run run = Gmm.run("fit", "--input", IRIS.toString(), "--init-model", first.toString(), "--output",
        second.toString()).ok();
    assertThat(run.err()).contains("k=3 diag");
    double before = Gmm.metrics(first).get("mean_log_likelihood").asDouble();
    double firstOfSecond = Gmm.metrics(second).get("log_likelihood_history").get(0).asDouble();
    assertThat(firstOfSecond).as("the warm start begins where the first run ended")
        .isCloseTo(before, org.assertj.core.data.Offset.offset(1e-9));
  }
}
