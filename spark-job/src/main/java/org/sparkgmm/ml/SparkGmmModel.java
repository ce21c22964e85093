package org.sparkgmm.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkgmm.io.FeatureSchema;
import org.sparkgmm.io.Predictions;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import scala.Option;

/**
 * The fitted Pipeline stage: {@code transform} appends {@code predictionCol} (int, the most
 * probable component) and {@code probabilityCol} (a vector of posteriors summing to 1). A row whose
 * features are null, NaN or infinite gets nulls in both; with {@code missing} set to
 * {@code marginalize} (copied from the estimator) null and NaN entries are missing values, and a row
 * is evaluated on its observed features (nulls only when every feature is missing). Saved as Spark ML metadata plus
 * {@code data/model.json} in the fit command's format, so a saved stage is also a {@code gmm predict}
 * model.
 */
public final class SparkGmmModel extends Model<SparkGmmModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  /** The model file inside a saved stage. */
  static final String MODEL_FILE = "data/model.json";
  /** The fit's summary inside a saved stage (absent in stages saved before it was kept). */
  static final String SUMMARY_FILE = "data/summary.json";

  private final String uid;
  private final Mixture mixture;
  private final SparkGmmSummary summary;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> missing;

  SparkGmmModel(String uid, Mixture mixture, SparkGmmSummary summary) {
    this.uid = uid;
    this.mixture = mixture;
    this.summary = summary;
    featuresCol = new Param<>(this, "featuresCol", "features column (vector or array<double>)");
    predictionCol = new Param<>(this, "predictionCol", "output column of the most probable component");
    probabilityCol = new Param<>(this, "probabilityCol", "output column of the posterior probabilities");
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    missing = new Param<>(this, "missing", "what a null or NaN feature is: invalid (null outputs) or marginalize"
        + " (a missing value)", ParamValidators.inArray(new String[] {"invalid", "marginalize"}));
    setDefault(probabilityCol, "probability");
    setDefault(missing, "invalid");
  }

  /** What a null or NaN feature is: {@code invalid} (default) or {@code marginalize}. */
  public Param<String> missing() {
    return missing;
  }

  public SparkGmmModel setMissing(String value) {
    set(missing, value);
    return this;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The fitted mixture (weights, means, covariances). */
  public Mixture mixture() {
    return mixture;
  }

  /**
   * The most probable component of one feature vector, as MLlib's {@code GaussianMixtureModel.predict}
   * (the first of equals); a NaN entry is a missing value, left out of the density.
   *
   * @throws IllegalArgumentException for a vector of another length, or a value that is infinite or
   *     outside a family's support
   */
  public int predict(Vector features) {
    return mixture.predict(new double[][] {features.toArray()})[0];
  }

  /** The posterior probability of every component for one feature vector (as {@link #predict}). */
  public Vector predictProbability(Vector features) {
    return Vectors.dense(mixture.predictProba(new double[][] {features.toArray()})[0]);
  }

  /** The mixture in the CLI's {@code model.json} format (what the Python API reads its values from). */
  public String modelJson() {
    return ModelJson.write(mixture);
  }

  /** Whether {@link #summary()} is there: always after a fit, and after loading what a fit saved. */
  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * What the fit reached: rows, iterations, log-likelihood, BIC, AIC.
   *
   * @throws IllegalStateException for a stage saved without one
   */
  public SparkGmmSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("This SparkGmmModel has no summary (it was saved without one)");
    }
    return summary;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public SparkGmmModel setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public SparkGmmModel setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public SparkGmmModel setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Dataset<Row> table = dataset.toDF();
    String source = "the DataFrame given to SparkGmmModel.transform";
    List<String> keep = List.of(table.columns());
    // The model fixes the vector length: a row of another length is invalid (null outputs).
    FeatureSchema schema = FeatureSchema.of(table.schema(), source, List.of(), getOrDefault(featuresCol), null, null,
        mixture.dimension());
    var shared = JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext()).broadcast(mixture);
    return Predictions.apply(table, source, keep, schema, shared, new Predictions.Columns(getOrDefault(predictionCol),
        getOrDefault(probabilityCol), null, null, true), Predictions.InvalidRowPolicy.NULLS,
        "marginalize".equals(getOrDefault(missing)), 4096, null);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema, getOrDefault(featuresCol), getOrDefault(predictionCol), getOrDefault(probabilityCol));
  }

  /** The input schema with the two output columns; checks the features column. */
  static StructType outputSchema(StructType schema, String features, String prediction, String probability) {
    List<String> names = List.of(schema.fieldNames());
    if (!names.contains(features)) {
      throw new IllegalArgumentException("Features column '" + features + "' is not in the input; its columns are "
          + names);
    }
    DataType t = schema.apply(features).dataType();
    if (!t.equals(SQLDataTypes.VectorType()) && !(t instanceof ArrayType a && a.elementType() instanceof NumericType)) {
      throw new IllegalArgumentException("Features column '" + features + "' is " + t.simpleString()
          + ", not a vector or an array of numbers (assemble it with VectorAssembler)");
    }
    for (String out : new String[] {prediction, probability}) {
      if (names.contains(out)) {
        throw new IllegalArgumentException("Output column '" + out + "' already exists in the input");
      }
    }
    List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
    fields.add(DataTypes.createStructField(prediction, DataTypes.IntegerType, true));
    fields.add(DataTypes.createStructField(probability, SQLDataTypes.VectorType(), true));
    return DataTypes.createStructType(fields);
  }

  @Override
  public SparkGmmModel copy(ParamMap extra) {
    SparkGmmModel copy = new SparkGmmModel(uid, mixture, summary);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Spark ML's reader (Pipeline loading finds it by reflection). */
  public static MLReader<SparkGmmModel> read() {
    return new Reader();
  }

  public static SparkGmmModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final SparkGmmModel instance;

    Writer(SparkGmmModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
      write(new Path(path, MODEL_FILE), ModelJson.write(instance.mixture));
      if (instance.summary != null) {
        write(new Path(path, SUMMARY_FILE), instance.summary.toJson());
      }
    }

    private void write(Path file, String text) {
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
          out.write(text.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class Reader extends MLReader<SparkGmmModel> {
    @Override
    public SparkGmmModel load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
          SparkGmmModel.class.getName());
      Path file = new Path(path, MODEL_FILE);
      Path summaryFile = new Path(path, SUMMARY_FILE);
      String summary = read(summaryFile, true);
      SparkGmmModel model = new SparkGmmModel(metadata.uid(), ModelJson.read(read(file, false), file.toString()),
          summary == null ? null : SparkGmmSummary.fromJson(summary, summaryFile.toString()));
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }

    /** The file's text; null when {@code optional} and it is not there. */
    private String read(Path file, boolean optional) {
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        if (optional && !fs.exists(file)) {
          return null;
        }
        try (InputStream in = fs.open(file)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
