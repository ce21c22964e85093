package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.sparkgmm.config.ApplyConfig;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.config.SampleConfig;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.io.FeatureSchema;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.MetricsJson;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.io.Predictions;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.MixtureSampler;

/**
 * The commands that use a fitted model: {@code predict}, {@code score} and {@code sample}.
 * Orchestration only; the math is in {@code common}'s {@code model} package.
 */
public final class ApplyJobs {
  /** Rows evaluated together (one block) by predict and score. */
  public static final int BLOCK_ROWS = 4096;
  /** Where predictions go inside an output directory. */
  public static final String PREDICTIONS_DIR = "predictions";
  /** Where a sample goes inside an output directory. */
  public static final String SAMPLE_DIR = "sample";

  private ApplyJobs() {}

  /** {@code gmm predict}: writes {@code OUT/predictions/}, {@code OUT/metrics.json}, {@code OUT/_SUCCESS}. */
  public static void predict(SparkSession spark, ApplyConfig c, PrintWriter progress) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Mixture model = ModelStore.read(c.model(), hadoop);
    try (OutputDirectory out = OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      Dataset<Row> table = InputReader.read(spark, c.input(), c.format());
      Written w = writePredictions(spark, table, c.input(), model, c.featuresCol(), c.keepCols(), c.logProba(),
          c.invalidRows(), c.missing(), c.impute(), out);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.write("metrics.json", MetricsJson.predictions(c.model(), c.input(), w.rows(), w.skipped(),
          w.logLikelihood(), seconds, c.missing().externalName(), w.allMissing(), w.incomplete(), w.missingCells(),
          c.impute()));
      out.commit();
      progress.printf(Locale.ROOT, "predict: %d rows%s%s, mean log-likelihood %.8f, wrote %s/%s (%.1f s)%n", w.rows(),
          w.skipped() > 0 ? " (" + w.skipped() + " invalid skipped)" : "", missingNote(w, c.impute()),
          w.logLikelihood() / w.rows(), out.target(), PREDICTIONS_DIR, seconds);
    }
  }

  /** What a predictions write did. */
  record Written(long rows, long skipped, double logLikelihood, long allMissing, long incomplete, long missingCells) {}

  private static String missingNote(Written w, boolean impute) {
    if (w.incomplete() == 0 && w.allMissing() == 0) {
      return "";
    }
    return String.format(Locale.ROOT, "; %d with missing features (%d cells%s)%s", w.incomplete(), w.missingCells(),
        impute ? " imputed" : "", w.allMissing() > 0 ? ", " + w.allMissing() + " missing every feature (null"
        + " predictions)" : "");
  }

  /**
   * Writes the predictions of {@code model} on {@code table} to {@code OUT/predictions/} in the
   * staging directory (fit --predictions shares this).
   *
   * @throws BadInputException for invalid rows under {@code error}, or a table with no (valid) rows
   */
  static Written writePredictions(SparkSession spark, Dataset<Row> table, String source, Mixture model,
      String featuresCol, List<String> keep, boolean logProba, InvalidRows invalidRows, MissingValues missing,
      boolean impute, OutputDirectory out) {
    FeatureSchema schema = InputReader.modelSchema(table, source, model, featuresCol, null);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Mixture> shared = jsc.broadcast(model);
    Predictions.Counters counters = Predictions.Counters.register(spark);
    // Under "error" invalid rows are kept (with null predictions) and counted; the staged output is
    // then dropped and the first one named. Failing inside the write would lose which row it was.
    Predictions.InvalidRowPolicy policy = invalidRows == InvalidRows.SKIP ? Predictions.InvalidRowPolicy.DROP
        : Predictions.InvalidRowPolicy.NULLS;
    Dataset<Row> predictions = Predictions.apply(table, source, keep, schema, shared,
        Predictions.Columns.cli(logProba, impute), policy, missing == MissingValues.MARGINALIZE, BLOCK_ROWS, counters);
    jsc.setJobDescription("predict: " + source);
    try {
      predictions.write().parquet(out.path(PREDICTIONS_DIR));
    } catch (Exception e) { // Spark's exceptions are checked in Java's eyes.
      if (e instanceof SparkException || e.getCause() instanceof SparkException) {
        throw new BadInputException("Cannot apply the model to " + source + ": " + InputReader.rootCause(e), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      jsc.setJobDescription(null);
      shared.destroy();
    }
    long valid = counters.valid();
    long invalid = counters.invalid();
    if (invalid > 0 && invalidRows == InvalidRows.ERROR) {
      throw InputReader.invalidRowsError(source, invalid, table, schema, InputReader.supportOf(model));
    }
    long allMissing = counters.allMissing();
    if (valid == 0 && allMissing > 0) {
      throw new BadInputException("Input " + source + " has no row with an observed feature: " + allMissing
          + " rows miss every feature" + (invalid > 0 ? " and " + invalid + " rows are invalid" : ""));
    }
    if (valid == 0) {
      throw new BadInputException(invalid == 0 ? "Input " + source + " has no rows"
          : "Input " + source + " has no valid rows: all " + invalid + " rows have "
              + (InputReader.supportOf(model) == null ? "null, NaN or infinite" : "null, NaN, infinite or out-of-support")
              + " values");
    }
    return new Written(valid, invalid, counters.logLikelihood(), allMissing, counters.incomplete(),
        counters.missingCells());
  }

  /** {@code gmm score}: prints the score as JSON; with an output directory also writes it there. */
  public static void score(SparkSession spark, ApplyConfig c, PrintWriter stdout) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Mixture model = ModelStore.read(c.model(), hadoop);
    try (OutputDirectory out = c.output() == null ? null
        : OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      Dataset<Row> table = InputReader.read(spark, c.input(), c.format());
      FeatureSchema schema = InputReader.modelSchema(table, c.input(), model, c.featuresCol(),
          c.weightCol());
      TrainingData data = InputReader.pack(table, c.input(), schema, List.of(), c.invalidRows(), c.missing(), 0,
          c.blockRows(), InputReader.supportOf(model));
      try {
        DistributedPass pass = DistributedPass.over(spark, data);
        EmAccumulator acc = pass.run("score: " + c.input(), EmAccumulator.forLikelihood(pass.share(model)));
        String json = MetricsJson.score(c.model(), c.input(), model, acc.rows(), data.skipped(), acc.weightSum(),
            acc.logLikelihood(), c.missing().externalName(), data.missing());
        if (out != null) {
          out.write("metrics.json", json);
          out.commit();
        }
        stdout.print(json);
        stdout.flush();
      } finally {
        data.release();
      }
    }
  }

  /** {@code gmm sample}: writes {@code OUT/sample/}, {@code OUT/metrics.json}, {@code OUT/_SUCCESS}. */
  public static void sample(SparkSession spark, SampleConfig c, PrintWriter progress) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Mixture model = ModelStore.read(c.model(), hadoop);
    try (OutputDirectory out = OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      int partitions = c.partitions() > 0 ? c.partitions() : spark.sparkContext().defaultParallelism();
      List<StructField> fields = new ArrayList<>();
      for (String f : model.features()) {
        fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
      }
      if (model.features().contains("component")) {
        throw new BadInputException("The model has a feature named 'component', the name of the sample's"
            + " component column");
      }
      fields.add(DataTypes.createStructField("component", DataTypes.IntegerType, false));
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<Mixture> shared = jsc.broadcast(model);
      long seed = c.seed();
      jsc.setJobDescription("sample: " + c.n() + " rows");
      try {
        spark.range(0, c.n(), 1, partitions)
            .mapPartitions((MapPartitionsFunction<Long, Row>) ids -> draws(shared.value(), seed, ids),
                Encoders.row(DataTypes.createStructType(fields)))
            .write().parquet(out.path(SAMPLE_DIR));
      } finally {
        jsc.setJobDescription(null);
        shared.destroy();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.write("metrics.json", MetricsJson.sample(c.model(), c.n(), seed, partitions, seconds));
      out.commit();
      progress.printf(Locale.ROOT, "sample: %d rows from %d components in %d partitions, wrote %s/%s (%.1f s)%n",
          c.n(), model.components(), partitions, out.target(), SAMPLE_DIR, seconds);
    }
  }

  /** Row i of the sample for each id i, lazily. */
  private static Iterator<Row> draws(Mixture model, long seed, Iterator<Long> ids) {
    MixtureSampler sampler = MixtureSampler.of(model);
    int d = model.dimension();
    double[] x = new double[d];
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        int c = sampler.draw(seed, ids.next(), x);
        Object[] values = new Object[d + 1];
        for (int j = 0; j < d; j++) {
          values[j] = x[j];
        }
        values[d] = c;
        return RowFactory.create(values);
      }
    };
  }
}
