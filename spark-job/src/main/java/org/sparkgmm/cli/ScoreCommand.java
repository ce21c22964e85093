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

/** {@code gmm score}: mean log-likelihood, BIC and AIC of a model on a table. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Print the model's mean log-likelihood, BIC and AIC on the input as JSON"
        + " (and write OUT/metrics.json with --output).")
final class ScoreCommand implements Callable<Integer>, Verbosity {
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

  @Option(names = "--weight-col", paramLabel = "COL", description = "Non-negative row weights (default: 1 per row).")
  String weightCol;

  @Option(names = "--invalid-rows", paramLabel = "error|skip", description = "Rows with null, NaN or infinite values: fail (default) or leave them out.")
  String invalidRows = "error";

  @Option(names = "--missing", paramLabel = "invalid|marginalize", description = "Null and NaN features: invalid"
      + " (default, see --invalid-rows) or missing values, marginalised (rows missing every feature are counted).")
  String missing = "invalid";

  @Option(names = "--output", paramLabel = "DIR", description = "Also write DIR/metrics.json (atomically).")
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
        weightCol, List.of(), false, InvalidRows.fromName(invalidRows), MissingValues.fromName(missing), false, output, overwrite,
        ApplyJobs.BLOCK_ROWS);
    SparkSession session = spark.start("score");
    ApplyJobs.score(session, c, spec.commandLine().getOut());
    return Main.OK;
  }
}
