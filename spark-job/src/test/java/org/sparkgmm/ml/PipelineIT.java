package org.sparkgmm.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.SharedSpark;

/** Our stage as the last of a Pipeline: fitted, saved, loaded in a new session, same predictions. */
class PipelineIT {
  @TempDir
  Path tmp;

  private static Dataset<Row> faithful(SparkSession spark) {
    return spark.read().option("header", "true").option("inferSchema", "true").csv("../conf/examples/faithful.csv");
  }

  private static Pipeline pipeline() {
    VectorAssembler assemble = new VectorAssembler().setInputCols(new String[] {"eruptions", "waiting"})
        .setOutputCol("raw");
    StandardScaler scale = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
    SparkGmm gmm = new SparkGmm().setK(2).setCovarianceType("full").setSeed(3).setNInit(2).setTol(1e-6)
        .setPredictionCol("cluster").setProbabilityCol("posterior");
    return new Pipeline().setStages(new PipelineStage[] {assemble, scale, gmm});
  }

  @Test
  void fittedSavedAndLoadedInANewSessionGivesIdenticalPredictions() throws Exception {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> data = faithful(spark);
    PipelineModel fitted = pipeline().fit(data);
    List<Row> before = fitted.transform(data).select("eruptions", "waiting", "cluster", "posterior").collectAsList();
    assertThat(before).hasSize(272);
    for (Row r : before) {
      Vector p = r.getAs("posterior");
      assertThat(p.size()).isEqualTo(2);
      assertThat(p.apply(0) + p.apply(1)).isCloseTo(1.0, within(1e-12));
      assertThat(r.getInt(2)).isEqualTo(p.argmax());
    }
    SparkGmmModel stage = (SparkGmmModel) fitted.stages()[2];
    // Old Faithful's short eruptions hold about a third of the rows.
    double[] w = stage.mixture().weights();
    assertThat(Math.min(w[0], w[1])).isBetween(0.3, 0.4);

    Path saved = tmp.resolve("pipeline");
    fitted.write().save(saved.toString());
    SparkSession fresh = spark.newSession();
    PipelineModel loaded = PipelineModel.load(saved.toString());
    List<Row> after = loaded.transform(faithful(fresh)).select("eruptions", "waiting", "cluster", "posterior")
        .collectAsList();
    assertThat(after).isEqualTo(before);
    SparkGmmModel reloaded = (SparkGmmModel) loaded.stages()[2];
    assertThat(reloaded.uid()).isEqualTo(stage.uid());
    assertThat(reloaded.getOrDefault(reloaded.probabilityCol())).isEqualTo("posterior");

    // The saved stage keeps its mixture as a model.json, which the CLI reads too.
    Path stageDir;
    try (var dirs = Files.list(saved.resolve("stages"))) {
      stageDir = dirs.filter(p -> p.getFileName().toString().startsWith("2_")).findFirst().orElseThrow();
    }
    Path file = stageDir.resolve(SparkGmmModel.MODEL_FILE);
    Mixture m = ModelJson.read(Files.readString(file), file.toString());
    assertThat(m.weights()).containsExactly(w);
  }

  @Test
  void estimatorParamsSurviveSaveAndLoad() throws Exception {
    SparkGmm gmm = new SparkGmm().setK(5).setCovarianceType("diag").setMaxIter(7).setTol(1e-4).setRegCovar(1e-5)
        .setInitMode("kmeans++").setNInit(3).setSeed(11).setWeightCol("w").setFeaturesCol("f");
    Path saved = tmp.resolve("estimator");
    gmm.write().save(saved.toString());
    SparkGmm loaded = SparkGmm.load(saved.toString());
    assertThat(loaded.uid()).isEqualTo(gmm.uid());
    assertThat(loaded.extractParamMap().toString()).isEqualTo(gmm.extractParamMap().toString());
  }

  /**
   * The fit's summary is saved beside the model and loaded back; a stage saved without one (before
   * it was kept) loads with none, and a broken one is refused naming the file.
   */
  @Test
  void theSummaryIsSavedAndLoaded() throws Exception {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> data = faithful(spark);
    SparkGmmModel model = (SparkGmmModel) pipeline().fit(data).stages()[2];
    SparkGmmSummary s = model.summary();
    assertThat(s.numRows()).isEqualTo(272);
    assertThat(s.numStarts()).isEqualTo(2);
    assertThat(s.bic()).isEqualTo(-2 * s.logLikelihood() + s.numParameters() * Math.log(272), within(1e-9));
    assertThat(s.logLikelihoodHistory()).hasSize(s.numIter());

    Path saved = tmp.resolve("stage");
    model.write().save(saved.toString());
    SparkGmmModel back = SparkGmmModel.load(saved.toString());
    assertThat(back.hasSummary()).isTrue();
    assertThat(back.summary().toJson()).isEqualTo(s.toJson());

    // Edited by hand, so without the checksum file Hadoop may have written beside it.
    Files.deleteIfExists(saved.resolve("data/.summary.json.crc"));
    Files.writeString(saved.resolve(SparkGmmModel.SUMMARY_FILE), "{\"n_rows\": 272}");
    assertThatThrownBy(() -> SparkGmmModel.load(saved.toString())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SparkGmmModel.SUMMARY_FILE).hasMessageContaining("has no 'log_likelihood_history'");
    Files.delete(saved.resolve(SparkGmmModel.SUMMARY_FILE));
    SparkGmmModel old = SparkGmmModel.load(saved.toString());
    assertThat(old.hasSummary()).isFalse();
    assertThatThrownBy(old::summary).isInstanceOf(IllegalStateException.class).hasMessageContaining("no summary");
    assertThat(old.mixture().weights()).containsExactly(model.mixture().weights());
  }

  @Test
  void transformGivesNullsForRowsWithInvalidFeatures() {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> data = spark.sql("SELECT array(CAST(id AS DOUBLE) + CASE WHEN id % 2 = 0 THEN 0.0 ELSE 20.0 END)"
        + " AS features FROM range(40)");
    SparkGmmModel model = new SparkGmm().setK(2).setSeed(1).fit(data);
    Dataset<Row> withNaN = spark.sql("SELECT array(CAST('NaN' AS DOUBLE)) AS features UNION ALL SELECT array(1.0)");
    List<Row> rows = model.transform(withNaN).collectAsList();
    assertThat(rows.get(0).isNullAt(1)).isTrue();
    assertThat(rows.get(0).isNullAt(2)).isTrue();
    assertThat(rows.get(1).isNullAt(1)).isFalse();
  }
}
