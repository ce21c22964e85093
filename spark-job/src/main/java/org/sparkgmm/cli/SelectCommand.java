package org.sparkgmm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.Criterion;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.SelectConfig;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.driver.SelectJob;
import org.sparkgmm.driver.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code gmm select}: fit every (k, covariance type) of a grid, all candidates sharing each data
 * pass, and keep the one with the lowest BIC (or AIC). The fit settings resolve as {@code fit}'s do.
 */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fit a grid of k and covariance types; write OUT/selection.json, OUT/selection.csv,"
        + " OUT/selection.svg, the best model as OUT/model/model.json, OUT/metrics.json and OUT/_SUCCESS.")
final class SelectCommand implements Callable<Integer>, Verbosity {
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

  @Option(names = "--k", paramLabel = "LIST", description = "Numbers of components to try: 1..10, 2,4,8 or a mix (required).")
  String k;

  @Option(names = "--covariance", paramLabel = "LIST", description = "Covariance types to try, e.g. full,diag (default: all four).")
  String covariance;

  @Option(names = "--criterion", paramLabel = "bic|aic", description = "What the best candidate minimises (default bic).")
  String criterion = "bic";

  @Option(names = "--max-iter", paramLabel = "N", description = "Maximum EM iterations per candidate (default 100).")
  String maxIter;

  @Option(names = "--tol", paramLabel = "X", description = "Convergence threshold on the mean log-likelihood (default 1e-3).")
  String tol;

  @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals (default 1e-6).")
  String regCovar;

  @Option(names = "--init", paramLabel = "METHOD", description = "Start of every candidate, as fit's --init (default kmeans-parallel).")
  String init;

  @Option(names = "--n-init", paramLabel = "R", description = "Starts per candidate; the best log-likelihood wins (default 1).")
  String nInit;

  @Option(names = "--init-iter", paramLabel = "N", description = "Lloyd passes after a k-means seeding (default 5).")
  String initIter;

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

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark setting (repeatable).")
  List<String> conf = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file of gmm.<flag>=value and spark.* settings; flags win.")
  String config;

  @Option(names = "--verbose", description = "Spark logs at INFO and stack traces on errors.")
  boolean verbose;

  private boolean resolvedVerbose;

  @Override
  public boolean verbose() {
    return verbose || resolvedVerbose;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> cli = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      String key = option.longestName().substring(2);
      if (ConfigResolver.DEFAULTS.containsKey(key) && !key.equals("k") && !key.equals("covariance")) {
        Object value = option.getValue();
        cli.put(key, value instanceof Boolean on ? (on ? "true" : null) : (String) value);
      }
    }
    List<Integer> ks = SelectConfig.parseKs(k != null ? k : ConfigResolver.configFileValue(config, "k"));
    List<CovarianceType> types = SelectConfig.parseTypes(covariance != null ? covariance
        : ConfigResolver.configFileValue(config, "covariance"));
    FitConfig fit = ConfigResolver.resolveForSelect(cli, conf, config, ks.get(0), types.get(0));
    SelectConfig c = new SelectConfig(ks, types, Criterion.fromName(criterion), fit);
    resolvedVerbose = fit.verbose();
    PrintWriter out = spec.commandLine().getOut();
    SparkSession session = Sessions.start("spark-gmm select", fit.master(), fit.sparkConf(), fit.verbose());
    out.println("select: k=" + ks + " covariance=" + types.stream().map(CovarianceType::externalName).toList()
        + " criterion=" + c.criterion().externalName() + " " + ConfigResolver.describe(fit));
    SelectJob.run(session, c, out);
    return Main.OK;
  }
}
