package org.sparkgmm.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.driver.FitJob;
import org.sparkgmm.driver.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gmm fit}. Values stay strings here: typing, defaults and the config file are resolved in
 * one place ({@link ConfigResolver}) so that every bad value gets the same kind of message.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fit a Gaussian mixture model by EM and write OUT/model/model.json, OUT/metrics.json, OUT/_SUCCESS.")
final class FitCommand implements Callable<Integer>, Verbosity {
  @Spec
  CommandSpec spec;

  @Mixin
  FitSettings settings;

  @Option(names = "--k", paramLabel = "K", description = "Number of components (required unless --init-model).")
  String k;

  @Option(names = "--covariance", paramLabel = "TYPE", description = "full (default), diag, tied or spherical.")
  String covariance;

  @Option(names = "--init-model", paramLabel = "PATH", description = "Start from this model.json (or an output directory holding one).")
  String initModel;

  @Option(names = "--label-col", paramLabel = "COL",
      description = "One component per distinct label, started from its rows; labelled rows stay in their component, null labels are free (semi-supervised).")
  String labelCol;

  @Option(names = "--update", paramLabel = "wmc", description = "Parameters EM may change: any of w (weights), m (means), c (covariances) (default wmc).")
  String update;

  @Option(names = "--predictions", description = "Also write the training rows' predictions to OUT/predictions/ (as gmm predict).")
  boolean predictions;

  @Option(names = "--keep-cols", paramLabel = "A,B,...", description = "With --predictions: input columns to copy next to the predictions.")
  String keepCols;

  @Option(names = "--log-proba", description = "With --predictions: also write the log posteriors (log_probability).")
  boolean logProba;

  /** --verbose from the command line or the config file, once resolved. */
  private boolean resolvedVerbose;

  @Override
  public boolean verbose() {
    return settings.verbose || resolvedVerbose;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> cli = FitSettings.flags(spec, Set.of());
    FitConfig c = ConfigResolver.resolve(cli, settings.conf, settings.config);
    resolvedVerbose = c.verbose();
    PrintWriter progress = spec.commandLine().getErr();
    SparkSession spark = Sessions.start("spark-gmm fit", c.master(), c.sparkConf(), c.verbose());
    progress.println("fit: " + ConfigResolver.describe(c));
    FitJob.run(spark, c, progress);
    return Main.OK;
  }
}
