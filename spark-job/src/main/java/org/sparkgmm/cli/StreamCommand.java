package org.sparkgmm.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.InputFormat;
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











  @Option(names = "--output", paramLabel = "DIR", description = "Where the model versions go.")
  String output;

  @Mixin
  UpdateOptions update;

  @Mixin
  SparkOptions spark;

  @Override
  public boolean verbose() {
    return spark.verbose;
  }

  @Override
  public Integer call() throws Exception {
    UpdateConfig c = update.config(input, InputFormat.resolve(format, ""), output, true);
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
