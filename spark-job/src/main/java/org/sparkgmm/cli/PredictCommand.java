package org.sparkgmm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.ApplyConfig;
import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.driver.ApplyJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gmm predict}: the model applied to every row of a table, written as Parquet. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write OUT/predictions/ (Parquet: kept columns, prediction, probability, log_likelihood),"
        + " OUT/metrics.json and OUT/_SUCCESS.")
final class PredictCommand implements Callable<Integer>, Verbosity {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "PATH", description = "model.json, or the output directory of fit.")
  String model;

  @Option(names = "--input", paramLabel = "PATH", description = "Input table (file:, hdfs://, s3a:// or local path).")
  String input;

  @Option(names = "--format", paramLabel = "parquet|csv", description = "Input format (default: csv for *.csv, else parquet).")
  String format;

  @Option(names = "--features-col", paramLabel = "COL",
      description = "The vector or array column holding the features (default: the model's feature columns by name).")
  String featuresCol;

  @Option(names = "--keep-cols", paramLabel = "A,B,...", split = ",", description = "Input columns to copy next to the predictions (e.g. an id).")
  List<String> keepCols = List.of();

  @Option(names = "--log-proba", description = "Also write the log posteriors (log_probability).")
  boolean logProba;

  @Option(names = "--invalid-rows", paramLabel = "error|skip", description = "Rows with null, NaN or infinite features: fail (default) or leave them out.")
  String invalidRows = "error";

  @Option(names = "--missing", paramLabel = "invalid|marginalize", description = "Null and NaN features: invalid"
      + " (default, see --invalid-rows) or missing values, marginalised (rows missing every feature are counted).")
  String missing = "invalid";

  @Option(names = "--impute", description = "Also write imputed_<feature> for every feature: missing values replaced by"
      + " their conditional expectation under the model (a category by its most probable label), and imputed_count.")
  boolean impute;

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (written atomically).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

  @Mixin
  SparkOptions spark;

  @Override
  public boolean verbose() {
    return spark.verbose;
  }

  @Override
  public Integer call() throws Exception {
    ApplyConfig c = new ApplyConfig(model, input, InputFormat.resolve(format, input == null ? "" : input), featuresCol,
        null, keepCols, logProba, InvalidRows.fromName(invalidRows), MissingValues.fromName(missing), impute, output, overwrite,
        ApplyJobs.BLOCK_ROWS);
    if (c.output() == null) {
      throw new org.sparkgmm.errors.UsageException("--output is required: the directory to write the predictions to");
    }
    SparkSession session = spark.start("predict");
    ApplyJobs.predict(session, c, spec.commandLine().getErr());
    return Main.OK;
  }
}
