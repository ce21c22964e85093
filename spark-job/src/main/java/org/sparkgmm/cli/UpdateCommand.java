package org.sparkgmm.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.UpdateConfig;
import org.sparkgmm.driver.UpdateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gmm update}: a fitted model updated with new rows, the old evidence decayed. */
@Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Update a fitted model with new rows: EM on the new rows, the model's evidence counting as"
        + " decay x its effective rows. Writes OUT/model/model.json, OUT/metrics.json, OUT/_SUCCESS.")
final class UpdateCommand implements Callable<Integer>, Verbosity {
  @Spec
  CommandSpec spec;


  @Option(names = "--input", paramLabel = "PATH", description = "The new rows (file:, hdfs://, s3a:// or local path).")
  String input;

  @Option(names = "--format", paramLabel = "parquet|csv", description = "Input format (default: csv for *.csv, else parquet).")
  String format;











  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (written atomically).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

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
    UpdateConfig c = update.config(input, InputFormat.resolve(format, input == null ? "" : input), output, overwrite);
    SparkSession session = spark.start("update");
    UpdateJob.run(session, c, spec.commandLine().getErr());
    return Main.OK;
  }
}
