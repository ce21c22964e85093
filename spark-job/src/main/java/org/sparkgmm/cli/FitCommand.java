package org.sparkgmm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.driver.FitJob;
import org.sparkgmm.driver.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code gmm fit}. Values stay strings here: typing, defaults and the config file are resolved in
 * one place ({@link ConfigResolver}) so that every bad value gets the same kind of message.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fit a Gaussian mixture model by EM and write OUT/model/model.json, OUT/metrics.json, OUT/_SUCCESS.")
final class FitCommand implements Callable<Integer>, Verbosity {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", paramLabel = "PATH", description = "Input table (file:, hdfs://, s3a:// or local path).")
  String input;

  @Option(names = "--format", paramLabel = "parquet|csv", description = "Input format (default: csv for *.csv, else parquet).")
  String format;

  @Option(names = "--features", paramLabel = "A,B,...", description = "Numeric feature columns (default: every numeric column but the weight).")
  String features;

  @Option(names = "--features-col", paramLabel = "COL", description = "One Spark ML vector or array<double> column holding the features.")
  String featuresCol;

  @Option(names = "--weight-col", paramLabel = "COL", description = "Non-negative row weights (default: 1 per row).")
  String weightCol;

  @Option(names = "--k", paramLabel = "K", description = "Number of components (required unless --init-model).")
  String k;

  @Option(names = "--covariance", paramLabel = "TYPE", description = "full (default), diag, tied or spherical.")
  String covariance;

  @Option(names = "--max-iter", paramLabel = "N", description = "Maximum EM iterations (default 100).")
  String maxIter;

  @Option(names = "--tol", paramLabel = "X", description = "Stop when the mean log-likelihood per row changes less than this (default 1e-3).")
  String tol;

  @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals (default 1e-6).")
  String regCovar;

  @Option(names = "--init", paramLabel = "METHOD",
      description = "Start: kmeans-parallel (default, k-means||), kmeans++ (exact, one pass per centre), random, random-from-data.")
  String init;

  @Option(names = "--n-init", paramLabel = "R", description = "Independent starts sharing every data pass; the best log-likelihood wins (default 1).")
  String nInit;

  @Option(names = "--init-iter", paramLabel = "N", description = "Lloyd passes after a k-means seeding (default 5).")
  String initIter;

  @Option(names = "--init-model", paramLabel = "PATH", description = "Start from this model.json (or an output directory holding one).")
  String initModel;

  @Option(names = "--label-col", paramLabel = "COL",
      description = "One component per distinct label, started from its rows; labelled rows stay in their component, null labels are free (semi-supervised).")
  String labelCol;

  @Option(names = "--update", paramLabel = "wmc", description = "Parameters EM may change: any of w (weights), m (means), c (covariances) (default wmc).")
  String update;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 0).")
  String seed;

  @Option(names = "--invalid-rows", paramLabel = "error|skip", description = "Rows with null, NaN or infinite values: fail (default) or skip them.")
  String invalidRows;

  @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions (default: as read).")
  String partitions;

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (written atomically).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

  @Option(names = "--predictions", description = "Also write the training rows' predictions to OUT/predictions/ (as gmm predict).")
  boolean predictions;

  @Option(names = "--keep-cols", paramLabel = "A,B,...", description = "With --predictions: input columns to copy next to the predictions.")
  String keepCols;

  @Option(names = "--log-proba", description = "With --predictions: also write the log posteriors (log_probability).")
  boolean logProba;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark setting (repeatable).")
  List<String> conf = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file of gmm.<flag>=value and spark.* settings; flags win.")
  String config;

  @Option(names = "--verbose", description = "Spark logs at INFO and stack traces on errors.")
  boolean verbose;

  /** --verbose from the command line or the config file, once resolved. */
  private boolean resolvedVerbose;

  @Override
  public boolean verbose() {
    return verbose || resolvedVerbose;
  }

  @Override
  public Integer call() throws Exception {
    // Every option whose name is a config key (--max-iter: gmm.max-iter) goes to the resolver as text;
    // a switch that is off is "not given", so the config file can still turn it on.
    Map<String, String> cli = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      String key = option.longestName().substring(2);
      if (ConfigResolver.DEFAULTS.containsKey(key)) {
        Object value = option.getValue();
        cli.put(key, value instanceof Boolean on ? (on ? "true" : null) : (String) value);
      }
    }
    FitConfig c = ConfigResolver.resolve(cli, conf, config);
    resolvedVerbose = c.verbose();
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = Sessions.start("spark-gmm fit", c.master(), c.sparkConf(), c.verbose());
    out.println("fit: " + ConfigResolver.describe(c));
    FitJob.run(spark, c, out);
    return Main.OK;
  }
}
