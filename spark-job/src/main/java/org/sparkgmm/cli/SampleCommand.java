package org.sparkgmm.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.SampleConfig;
import org.sparkgmm.driver.ApplyJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gmm sample}: rows drawn from a model, in parallel. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw exactly N rows from the mixture into OUT/sample/ (Parquet: the model's features and component).")
final class SampleCommand implements Callable<Integer>, Verbosity {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "PATH", description = "model.json, or the output directory of fit.")
  String model;

  @Option(names = "--n", paramLabel = "N", description = "Rows to draw.")
  long n;

  @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 0); the same seed gives the same rows, however partitioned.")
  long seed;

  @Option(names = "--partitions", paramLabel = "P", description = "Tasks to draw in (default: Spark's default parallelism).")
  int partitions;

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
    SampleConfig c = new SampleConfig(model, n, seed, partitions, output, overwrite);
    SparkSession session = spark.start("sample");
    ApplyJobs.sample(session, c, spec.commandLine().getErr());
    return Main.OK;
  }
}
