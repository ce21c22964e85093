package org.sparkgmm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.driver.Sessions;
import org.sparkgmm.errors.UsageException;
import picocli.CommandLine.Option;

/** The Spark options every command but fit and select shares (those two resolve them with their config file). */
final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark setting (repeatable).")
  List<String> conf = new ArrayList<>();

  @Option(names = "--verbose", description = "Spark logs at INFO and stack traces on errors.")
  boolean verbose;

  /** Starts or joins the session. @throws UsageException for a --conf without '=' */
  SparkSession start(String command) {
    Map<String, String> settings = new TreeMap<>();
    for (String pair : conf) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--conf takes key=value, got '" + pair + "'");
      }
      settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
    }
    return Sessions.start("spark-gmm " + command, master, settings, verbose);
  }
}
