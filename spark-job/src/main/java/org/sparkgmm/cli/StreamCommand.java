package org.sparkgmm.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.config.UpdateConfig;
import org.sparkgmm.driver.StreamJob;
import org.sparkgmm.errors.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gmm stream}: a streaming query that updates a model with every micro-batch of new files. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Watch a directory (Structured Streaming) and update the model with each micro-batch of new files,"
        + " as gmm update would; each version goes to OUT/versions/NNNNNNNNNNNN/, OUT/LATEST names the newest."
        + " A restart with the same --checkpoint resumes; no batch is applied twice.")
final class StreamCommand implements Callable<Integer>, Verbosity {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "PATH", description = "model.json, or the output directory of fit or update.")
  String model;

  @Option(names = "--input", paramLabel = "DIR", description = "The directory new files arrive in (file:, hdfs://,"
      + " s3a://); CSV files have a header naming the model's features, in order.")
  String input;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "The query's checkpoint (default OUT/_checkpoint).")
  String checkpoint;

  @Option(names = "--files-per-batch", paramLabel = "N", description = "New files per micro-batch (default 1).")
  int filesPerBatch = 1;

  @Option(names = "--available-now", description = "Apply the files there now, then stop (a scheduled run).")
  boolean availableNow;

  @Option(names = "--max-batches", paramLabel = "N", description = "Stop after N updates in this run (default: run"
      + " until stopped).")
  int maxBatches;

  @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between micro-batches (default 5).")
  double interval = 5;

  @Option(names = "--format", paramLabel = "parquet|csv", description = "Format of the new files (default parquet).")
  String format = "parquet";

  @Option(names = "--features-col", paramLabel = "COL",
      description = "The vector or array column holding the features (default: the model's feature columns by name).")
  String featuresCol;

  @Option(names = "--weight-col", paramLabel = "COL", description = "Non-negative row weights (default: 1 per row).")
  String weightCol;

  @Option(names = "--decay", paramLabel = "A", description = "Weight of the model's evidence against the new rows,"
      + " in [0, 1]: 1 keeps it all (default), 0 refits the new rows from the model.")
  Double decay;

  @Option(names = "--half-life", paramLabel = "H", description = "Instead of --decay: updates until the model's"
      + " evidence weighs half (decay 0.5^(1/H)), as Spark's StreamingKMeans.")
  Double halfLife;

  @Option(names = "--model-rows", paramLabel = "N", description = "Effective rows behind the model (default: the model"
      + " file's effective_rows, which fit and update write).")
  Double modelRows;

  @Option(names = "--max-iter", paramLabel = "N", description = "Maximum EM iterations (default 100).")
  int maxIter = 100;

  @Option(names = "--tol", paramLabel = "X", description = "Stop once the new rows' mean log-likelihood changes by less"
      + " (default 1e-3; 1e-6 for a general mixture).")
  Double tol;

  @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals (default 1e-6).")
  double regCovar = 1e-6;

  @Option(names = "--invalid-rows", paramLabel = "error|skip", description = "Rows with invalid values: fail (default) or skip them.")
  String invalidRows = "error";

  @Option(names = "--missing", paramLabel = "invalid|marginalize", description = "Null and NaN features: invalid"
      + " (default) or missing values that EM marginalises.")
  String missing = "invalid";

  @Option(names = "--output", paramLabel = "DIR", description = "Where the model versions go.")
  String output;

  @Mixin
  SparkOptions spark;

  @Override
  public boolean verbose() {
    return spark.verbose;
  }

  @Override
  public Integer call() throws Exception {
    if (decay != null && halfLife != null) {
      throw new UsageException("--decay and --half-life say the same thing: give one");
    }
    double a = halfLife != null ? UpdateConfig.decayOfHalfLife(halfLife) : decay != null ? decay : 1.0;
    UpdateConfig c = new UpdateConfig(model, input, InputFormat.resolve(format, ""), featuresCol, weightCol, a,
        modelRows == null ? Double.NaN : modelRows, maxIter, tol == null ? Double.NaN : tol, regCovar,
        InvalidRows.fromName(invalidRows), MissingValues.fromName(missing), output, true, 4096);
    if (filesPerBatch < 1 || maxBatches < 0 || !(interval > 0)) {
      throw new UsageException("--files-per-batch must be >= 1, --max-batches >= 0 and --interval > 0");
    }
    StreamJob.Settings s = new StreamJob.Settings(checkpoint != null ? checkpoint : output + "/_checkpoint",
        filesPerBatch, availableNow, maxBatches, interval);
    SparkSession session = spark.start("stream");
    StreamJob.run(session, c, s, spec.commandLine().getErr());
    return Main.OK;
  }
}
