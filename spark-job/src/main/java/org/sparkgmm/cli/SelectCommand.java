package org.sparkgmm.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.SelectConfig;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.driver.SelectJob;
import org.sparkgmm.driver.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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

  @Mixin
  FitSettings settings;

  @Option(names = "--k", paramLabel = "LIST", description = "Numbers of components to try: 1..10, 2,4,8 or a mix (required).")
  String k;

  @Option(names = "--covariance", paramLabel = "LIST", description = "Covariance types to try, e.g. full,diag (default: all four).")
  String covariance;

  @Option(names = "--criterion", paramLabel = "bic|aic", description = "What the best candidate minimises (default bic).")
  String criterion = "bic";

  private boolean resolvedVerbose;

  @Override
  public boolean verbose() {
    return settings.verbose || resolvedVerbose;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> cli = FitSettings.flags(spec, Set.of("k", "covariance"));
    SelectConfig c = ConfigResolver.resolveSelect(cli, settings.conf, settings.config, k, covariance, criterion);
    FitConfig fit = c.fit();
    resolvedVerbose = fit.verbose();
    PrintWriter progress = spec.commandLine().getErr();
    SparkSession session = Sessions.start("spark-gmm select", fit.master(), fit.sparkConf(), fit.verbose());
    progress.println("select: k=" + c.ks() + " covariance=" + c.types().stream().map(CovarianceType::externalName).toList()
        + " criterion=" + c.criterion().externalName() + " " + ConfigResolver.describe(fit));
    SelectJob.run(session, c, progress);
    return Main.OK;
  }
}
