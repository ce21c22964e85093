package org.sparkgmm.driver;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starts (or joins) the Spark session a command runs in. */
public final class Sessions {
  private Sessions() {}

  /**
   * The active session, or a new one. The master is {@code master} when given, else the one
   * spark-submit set, else {@code local[*]} (embedded use).
   */
  public static SparkSession start(String appName, String master, Map<String, String> conf, boolean verbose) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    SparkConf submitted = new SparkConf();
    if (master != null) {
      b.master(master);
    } else if (!submitted.contains("spark.master")) {
      b.master("local[*]");
    }
    conf.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
    return spark;
  }
}
