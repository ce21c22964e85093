package org.sparkgmm.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.testing.Launcher;
import org.sparkgmm.testing.PythonEnv;
import org.sparkgmm.testing.SharedSpark;

/**
 * One Pipeline (VectorAssembler -> StandardScaler -> SparkGmm) across languages: fitted in Python
 * (spark_gmm in pip's pyspark, a separate process) and in Java on the same data and seed, each
 * saved and loaded by the other, and Python's loaded by Scala (the distribution's spark-shell) and
 * saved again for Python. Every side's predictions are identical: the same component, the same
 * posterior doubles, row by row.
 */
class CrossLanguageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DATA = Launcher.ROOT.resolve("conf/examples/faithful.parquet");
  private static final Path SCRIPT = Launcher.ROOT.resolve("spark-job/src/test/python/cross_language.py");

  @TempDir
  static Path tmp;

  /** Python's fit: its saved Pipeline and what it predicted. */
  private static Path pythonModel;
  private static JsonNode pythonFit;

  @BeforeAll
  static void fitInPython() throws Exception {
    pythonModel = tmp.resolve("python-model");
    pythonFit = python("fit-save", pythonModel);
  }

  /** The Java Pipeline with the Python one's stages and params (cross_language.faithful_pipeline). */
  private static Pipeline pipeline() {
    return new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"eruptions", "waiting"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        new SparkGmm().setK(2).setSeed(3).setNInit(2).setTol(1e-6).setPredictionCol("cluster")
            .setProbabilityCol("posterior")});
  }

  private static Dataset<Row> data() {
    return SharedSpark.session().read().parquet(DATA.toString());
  }

  @Test
  void javaFitsTheSameModelPythonDid() {
    PipelineModel fitted = pipeline().fit(data());
    assertIdentical(rows(fitted.transform(data())), pythonFit.get("rows"), "Java's fit against Python's");
    SparkGmmModel stage = (SparkGmmModel) fitted.stages()[2];
    assertThat(readJson(stage.summary().toJson())).isEqualTo(pythonFit.get("summary"));
  }

  @Test
  void aPipelineSavedFromPythonLoadsInJava() {
    PipelineModel loaded = PipelineModel.load(pythonModel.toString());
    SparkGmmModel stage = (SparkGmmModel) loaded.stages()[2];
    assertThat(stage.getOrDefault(stage.probabilityCol())).isEqualTo("posterior");
    assertThat(readJson(stage.summary().toJson())).isEqualTo(pythonFit.get("summary"));
    assertIdentical(rows(loaded.transform(data())), pythonFit.get("rows"), "Python's model applied in Java");
  }

  @Test
  void aPipelineSavedFromJavaLoadsInPython() throws Exception {
    PipelineModel fitted = pipeline().fit(data());
    Path saved = tmp.resolve("java-model");
    fitted.write().save(saved.toString());
    JsonNode loaded = python("load-transform", saved);
    assertThat(loaded.get("stage_class").asText()).isEqualTo("spark_gmm.SparkGmmModel");
    assertIdentical(rows(fitted.transform(data())), loaded.get("rows"), "Java's model applied in Python");
    assertThat(loaded.get("summary")).isEqualTo(readJson(((SparkGmmModel) fitted.stages()[2]).summary().toJson()));
  }

  @Test
  void aPipelineSavedFromPythonLoadsInScalaAndBack() throws Exception {
    Path out = tmp.resolve("scala-predictions");
    Path scalaModel = tmp.resolve("scala-model");
    Path home = PythonEnv.sparkHome();
    Map<String, String> env = new HashMap<>(PythonEnv.environment());
    env.putAll(Map.of("PY_MODEL", pythonModel.toString(), "DATA", DATA.toString(), "OUT", out.toString(),
        "SCALA_MODEL", scalaModel.toString(), "SPARK_HOME", home.toString()));
    Launcher.Result r = Launcher.run(tmp.resolve("logs"), env, List.of(home.resolve("bin/spark-shell").toString(),
        "--master", "local[2]", "--jars", PythonEnv.JAR.toString(),
        "--conf", "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=" + Launcher.ROOT.resolve("conf/log4j2.properties"),
        "-i", Launcher.ROOT.resolve("spark-job/src/test/python/cross_language.scala").toString()));
    assertThat(r.status()).as("spark-shell:\n%s\n%s", r.stdout(), r.stderr()).isZero();
    assertThat(r.stdout()).contains("scala: loaded");
    assertIdentical(rows(SharedSpark.session().read().parquet(out.toString())), pythonFit.get("rows"),
        "Python's model applied in Scala");
    JsonNode back = python("load-transform", scalaModel);
    assertIdentical(rows(PipelineModel.load(scalaModel.toString()).transform(data())), back.get("rows"),
        "Scala's save applied in Python");
    assertThat(back.get("rows")).isEqualTo(pythonFit.get("rows"));
  }

  /** Runs cross_language.py MODE MODEL in the pinned pyspark and reads what it wrote. */
  private static JsonNode python(String mode, Path model) throws Exception {
    Path out = Files.createTempFile(tmp, mode, ".json");
    Launcher.run(tmp.resolve("logs"), PythonEnv.environment(), List.of(PythonEnv.python().toString(), SCRIPT.toString(),
        mode, model.toString(), DATA.toString(), out.toString())).ok();
    return JSON.readTree(out.toFile());
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** (eruptions, waiting, cluster, posterior) of every row, in order. */
  private static List<Object[]> rows(Dataset<Row> predictions) {
    List<Object[]> all = new ArrayList<>();
    for (Row r : predictions.select("eruptions", "waiting", "cluster", "posterior").collectAsList()) {
      Vector p = r.getAs("posterior");
      all.add(new Object[] {((Number) r.get(0)).doubleValue(), ((Number) r.get(1)).doubleValue(), r.getInt(2),
          p.toArray()});
    }
    return all;
  }

  /** Row by row: the same inputs, the same component, bit-identical posteriors. */
  private static void assertIdentical(List<Object[]> java, JsonNode python, String what) {
    assertThat(python.size()).as(what + ": rows").isEqualTo(java.size()).isEqualTo(272);
    for (int i = 0; i < java.size(); i++) {
      Object[] j = java.get(i);
      JsonNode p = python.get(i);
      assertThat(p.get(0).asDouble()).as(what + ": row %d eruptions", i).isEqualTo((double) j[0]);
      assertThat(p.get(1).asDouble()).as(what + ": row %d waiting", i).isEqualTo((double) j[1]);
      assertThat(p.get(2).asInt()).as(what + ": row %d component", i).isEqualTo((int) j[2]);
      double[] posterior = (double[]) j[3];
      assertThat(p.get(3).size()).isEqualTo(posterior.length);
      for (int c = 0; c < posterior.length; c++) {
        assertThat(p.get(3).get(c).asDouble()).as(what + ": row %d posterior %d", i, c).isEqualTo(posterior[c]);
      }
    }
  }
}
