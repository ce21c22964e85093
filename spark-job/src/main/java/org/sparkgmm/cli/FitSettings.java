package org.sparkgmm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkgmm.config.ConfigResolver;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options {@code fit} and {@code select} share (data, EM, start, output, Spark). Values stay
 * strings: typing, defaults and the config file are resolved in one place ({@link ConfigResolver}).
 */
final class FitSettings {
  @Option(names = "--input", paramLabel = "PATH", description = "Input table (file:, hdfs://, s3a:// or local path).")
  String input;

  @Option(names = "--format", paramLabel = "parquet|csv", description = "Input format (default: csv for *.csv, else parquet).")
  String format;

  @Option(names = "--features", paramLabel = "A,B,...", description = "Numeric feature columns (default: every numeric column but the weight).")
  String features;

  @Option(names = "--features-col", paramLabel = "COL", description = "One Spark ML vector or array<double> column holding the features.")
  String featuresCol;

  @Option(names = "--distributions", paramLabel = "SPEC",
      description = "Every feature with its family, in model order, instead of --features/--covariance:"
          + " name:family items (normal, lognormal, exponential, gamma, poisson, bernoulli, categorical, uniform, t)"
          + " and (a,b,...):full|diag|tied|spherical for one Gaussian over several features,"
          + " e.g. \"(a,b,c):full,d:poisson,e:categorical\".")
  String distributions;

  @Option(names = "--pseudocount", paramLabel = "X", description = "Added to every category count of categorical features (default 0).")
  String pseudocount;

  @Option(names = "--freeze", paramLabel = "C,...",
      description = "Components (0-based) of --init-model that keep their parameters; their weights still follow --update.")
  String freeze;

  @Option(names = "--weight-col", paramLabel = "COL", description = "Non-negative row weights (default: 1 per row).")
  String weightCol;

  @Option(names = "--max-iter", paramLabel = "N", description = "Maximum EM iterations (default 100).")
  String maxIter;

  @Option(names = "--tol", paramLabel = "X", description = "Stop when the mean log-likelihood per row changes less than this (default 1e-3).")
  String tol;

  @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals (default 1e-6),"
      + " times each feature's variance in the data (see --reg-covar-scale).")
  String regCovar;

  @Option(names = "--reg-covar-scale", paramLabel = "data|absolute", description = "What --reg-covar is relative to:"
      + " data (default: each feature's variance, so that the fit does not depend on the features' units) or absolute"
      + " (scikit-learn's reg_covar, in the features' units).")
  String regCovarScale;

  @Option(names = "--init", paramLabel = "METHOD",
      description = "Start: kmeans-parallel (default, k-means||), kmeans++ (exact, one pass per centre), random, random-from-data,"
          + " hc (mclust's model-based hierarchical clustering of a sample of up to 2000 rows, one tree per start, each"
          + " with its own prior scatter; the same in any linear coordinates).")
  String init;

  @Option(names = "--n-init", paramLabel = "R", description = "Independent starts sharing every data pass; the best log-likelihood wins (default 10,"
      + " run as small-EM, see --small-em-iter; 1 with --init-model, --label-col or --batch-size).")
  String nInit;

  @Option(names = "--small-em-iter", paramLabel = "N", description = "Small-EM: every start runs N EM iterations,"
      + " then only the best --small-em-keep go on to convergence (default 10; all starts share every pass).")
  String smallEmIter;

  @Option(names = "--small-em-keep", paramLabel = "K", description = "Starts that go on after the short runs"
      + " (default 1, with --init hc all of them; --small-em-keep equal to --n-init runs every start to convergence).")
  String smallEmKeep;

  @Option(names = "--init-iter", paramLabel = "N", description = "Lloyd passes after a k-means seeding (default 5).")
  String initIter;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 0).")
  String seed;

  @Option(names = "--invalid-rows", paramLabel = "error|skip", description = "Rows with null, NaN or infinite values: fail (default) or skip them.")
  String invalidRows;

  @Option(names = "--missing", paramLabel = "invalid|marginalize", description = "Null and NaN features: invalid"
      + " rows (default, see --invalid-rows) or missing values that EM marginalises (rows missing every feature are"
      + " left out and counted).")
  String missing;

  @Option(names = "--storage", paramLabel = "memory|memory-and-disk|none", description = "Where the packed blocks"
      + " live between passes: memory, memory-and-disk (default, spills) or none (every pass reads the input again).")
  String storage;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Where batch EM keeps its state so that"
      + " rerunning the same command after the driver died resumes (default: .NAME.checkpoint beside the output;"
      + " removed when the run succeeds).")
  String checkpointDir;

  @Option(names = "--checkpoint-every", paramLabel = "N", description = "Save the EM state every N iterations"
      + " (default 5; 0: never).")
  String checkpointEvery;

  @Option(names = "--batch-size", paramLabel = "N|F", description = "Stepwise (online) EM: each step reads one batch"
      + " of N rows (or the fraction F < 1 of the rows), chosen by row hash. Default: batch EM.")
  String batchSize;

  @Option(names = "--t0", paramLabel = "X", description = "Stepwise EM step size (t + t0)^-kappa: the offset (default 2).")
  String t0;

  @Option(names = "--kappa", paramLabel = "X", description = "Stepwise EM step size decay, 0.5 < kappa <= 1 (default 0.6).")
  String kappa;

  @Option(names = "--epochs", paramLabel = "N", description = "Stepwise EM: at most N visits of every batch (default 10).")
  String epochs;

  @Option(names = "--final-batch-iter", paramLabel = "N",
      description = "Stepwise EM: N batch EM iterations afterwards (default 0).")
  String finalBatchIter;

  @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions (default: as read).")
  String partitions;

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (written atomically).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

  @Option(names = "--report-features", paramLabel = "A,B",
      description = "Two features for the report's scatter (default: the two leading principal directions).")
  String reportFeatures;

  @Option(names = "--no-report", description = "Do not write OUT/report/index.html.")
  boolean noReport;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark setting (repeatable).")
  List<String> conf = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file of gmm.<flag>=value and spark.* settings; flags win.")
  String config;

  @Option(names = "--verbose", description = "Spark logs at INFO and stack traces on errors.")
  boolean verbose;

  /**
   * Every option of the command whose name is a config key ({@code --max-iter}: {@code gmm.max-iter}),
   * as text; a switch that is off is "not given", so the config file can still turn it on.
   *
   * @param skip keys the command gives another meaning (select's lists of k and covariance types)
   */
  static Map<String, String> flags(CommandSpec spec, Set<String> skip) {
    Map<String, String> cli = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      String key = option.longestName().substring(2);
      if (ConfigResolver.DEFAULTS.containsKey(key) && !skip.contains(key)) {
        Object value = option.getValue();
        cli.put(key, value instanceof Boolean on ? (on ? "true" : null) : (String) value);
      }
    }
    return cli;
  }
}
