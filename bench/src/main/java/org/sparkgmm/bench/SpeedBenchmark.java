package org.sparkgmm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.driver.Fitting;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.io.DataBlock;
import org.sparkgmm.io.FeatureSchema;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.Predictions;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * One system's fit, in this JVM, on generated rows: spark-gmm, Spark MLlib or scikit-learn (a fresh
 * Python process), or the machine's DGEMM rate. {@code bench/run} starts one JVM per system per run
 * and summarises the files these write; see the README's Performance section.
 *
 * <p>Nothing is warmed up: the timed fit is the first fit in the JVM, as a user's {@code gmm fit}
 * is. Every iteration's seconds are kept; the figure is their median after the first two.
 */
@Command(name = "SpeedBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "One system's EM fit (and predict) on generated rows, timed per iteration, in this JVM;"
        + " writes OUT/n{n}-run{run}-{system}.json. bench/run starts one of these per system per run.")
public final class SpeedBenchmark implements Callable<Integer> {
  @Option(names = "--system", required = true, description = "spark-gmm, mllib, sklearn or dgemm")
  String system;

  @Option(names = "--run", defaultValue = "1", description = "run number, for the file name")
  int run;

  @Option(names = "--n", defaultValue = "1000000", description = "rows")
  long n;

  @Option(names = "--d", defaultValue = "4", description = "features")
  int d;

  @Option(names = "--k", defaultValue = "8", description = "components")
  int k;

  @Option(names = "--covariance", defaultValue = "full", description = "full, tied, diag or spherical")
  String covariance;

  @Option(names = "--iterations", defaultValue = "22", description = "EM iterations (tol = 0); the figure is the"
      + " median of those after the first two")
  int iterations;

  @Option(names = "--predict", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "after the fit, time predictions over all rows, and a sample of as many from the fitted"
          + " model (not Spark MLlib, which has no sampler); default: on")
  boolean predict;

  @Option(names = "--master", defaultValue = "local[2]")
  String master;

  @Option(names = "--partitions", defaultValue = "0", description = "partitions of the data; 0: one per core")
  int partitions;

  @Option(names = "--scale", defaultValue = "0.1", description = "component standard deviation scale (MLlib needs"
      + " densities above its 2.2e-16 floor)")
  double scale;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", required = true, description = "directory for the JSON")
  Path out;

  @Option(names = "--work", defaultValue = "bench/target/work", description = "where the rows for scikit-learn go")
  Path work;

  @Option(names = "--script", defaultValue = "bench/src/main/python/sklearn_em.py")
  Path script;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.exit(new CommandLine(new SpeedBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("system", system);
    report.put("run", run);
    report.put("cpu", DgemmRate.cpuModel());
    report.put("blas", Blas.describe());
    report.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report.put("jvm_options", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("--add-opens")).toList());
    if (system.equals("dgemm")) {
      int threads = Runtime.getRuntime().availableProcessors();
      double rate = DgemmRate.measure(threads, 1024, 5);
      log("DGEMM 1024^3 on %d threads, one BLAS thread each: %.1f GFLOP/s (median of 5)", threads, rate);
      report.put("threads", threads);
      report.put("dgemm_gflops", rate);
      JSON.writeValue(out.resolve("run" + run + "-dgemm.json").toFile(), report);
      return 0;
    }
    CovarianceType type = CovarianceType.fromName(covariance);
    check(List.of("spark-gmm", "mllib", "sklearn").contains(system), "unknown --system " + system);
    check(!system.equals("mllib") || type == CovarianceType.FULL, "Spark MLlib fits full covariances only");
    check(iterations > 2, "--iterations must be at least 3: the first two are not counted");
    SparkSession spark = SparkSession.builder().master(master).appName("spark-gmm bench " + system)
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int cores = spark.sparkContext().defaultParallelism();
    int parts = partitions > 0 ? partitions : cores;
    for (var e : Map.<String, Object>of("n", n, "d", d, "k", k, "covariance", type.externalName(), "iterations",
        iterations, "scale", scale, "seed", seed, "partitions", parts, "cores", cores, "master", master).entrySet()) {
      report.put(e.getKey(), e.getValue());
    }
    log("%s, run %d: n=%d d=%d k=%d %s; BLAS %s; %d cores (%s)", system, run, n, d, k, type.externalName(),
        Blas.describe(), cores, master);
    Mixture truth = KnownMixture.model(k, d, type, scale, seed);
    Dataset<Row> generated = KnownMixture.table(spark, truth, n, parts, seed);
    switch (system) {
      case "spark-gmm" -> sparkGmm(spark, type, generated, report);
      case "mllib" -> mllib(spark, generated, report);
      default -> sklearn(spark, type, generated, cores, report);
    }
    String name = String.format(Locale.ROOT, "n%d-run%d-%s.json", n, run, system);
    JSON.writeValue(out.resolve(name).toFile(), report);
    log("wrote %s", out.resolve(name));
    spark.stop();
    return 0;
  }

  private void sparkGmm(SparkSession spark, CovarianceType type, Dataset<Row> generated, Map<String, Object> report)
      throws Exception {
    TrainingData data = pack(generated);
    try {
      long cached = cachedBytes(spark, data.blocks().id());
      report.put("cached_bytes", cached);
      report.put("cached_over_raw", cached / (n * d * 8.0));
      Mixture start = start(spark, type, data);
      List<Double> seconds = new ArrayList<>();
      FitResult fit = Fitting.run(spark, start, new EmOptions(iterations, 0.0, 1e-6), data, iterationTimer(seconds));
      check(fit.iterations() == iterations, "spark-gmm ran " + fit.iterations() + " iterations");
      fitted(report, seconds, "mean_log_likelihood", fit.meanLogLikelihood());
      report.put("empty_job_seconds", emptyJobSeconds(data));
      if (predict) {
        Dataset<Row> table = cachedTable(generated);
        FeatureSchema schema = FeatureSchema.of(table.schema(), "generated", List.of(), KnownMixture.FEATURES, null,
            null, d);
        var shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(fit.model());
        predicted(report, timeWrite(Predictions.apply(table, "generated", List.of(table.columns()), schema, shared,
            new Predictions.Columns("prediction", "probability", null, null, true),
            Predictions.InvalidRowPolicy.NULLS, false, 4096, null)));
        double floor = timeWrite(table);
        report.put("scan_rows_per_second", n / floor);
        log("the cached table alone into the noop sink (Spark's floor under any transform): %.2f s, %.3g rows/s",
            floor, n / floor);
        table.unpersist();
        sampled(report, timeWrite(KnownMixture.table(spark, fit.model(), n, (int) report.get("partitions"),
            seed + 1)));
      }
    } finally {
      data.release();
    }
  }

  private void mllib(SparkSession spark, Dataset<Row> generated, Map<String, Object> report) {
    MllibRun.Result m = MllibRun.fit(spark, generated, k, iterations, seed);
    check(m.numIter() == iterations && m.iterationSeconds().size() == iterations,
        "Spark MLlib stopped after " + m.numIter() + " iterations (" + m.iterationSeconds().size()
            + " iteration jobs) of " + iterations + ": its densities fell under its 2.2e-16 floor; use a smaller --scale");
    report.put("timed", "the iteration jobs alone (a listener), without MLlib's driver work between them");
    fitted(report, m.iterationSeconds(), "log_likelihood", m.logLikelihood());
    if (predict) {
      predicted(report, timeWrite(m.model().transform(cachedTable(generated))));
    }
  }

  private void sklearn(SparkSession spark, CovarianceType type, Dataset<Row> generated, int cores,
      Map<String, Object> report) throws Exception {
    TrainingData data = pack(generated);
    try {
      Mixture start = start(spark, type, data);
      Path file = work.resolve(String.format(Locale.ROOT, "rows-n%d-d%d-k%d-%s-s%d.f64", n, d, k,
          type.externalName(), seed));
      SklearnRun.writeRows(data, d, file);
      data.release();
      SklearnRun.Result s = SklearnRun.fit(script, file, n, d, start, iterations, cores, work, predict);
      check(s.numIter() == iterations && s.iterationSeconds().size() == iterations,
          "scikit-learn ran " + s.numIter() + " iterations");
      report.put("blas_threads", cores);
      report.put("timed", "a fresh Python process (Debian's python3-sklearn), from spark-gmm's k-means|| start");
      fitted(report, s.iterationSeconds(), "lower_bound", s.lowerBound());
      if (predict) {
        predicted(report, s.predictSeconds());
        sampled(report, s.sampleSeconds());
      }
    } finally {
      data.release();
    }
  }

  private TrainingData pack(Dataset<Row> generated) {
    FeatureSchema schema = InputReader.schema(generated, "generated", List.of(), KnownMixture.FEATURES, null, null);
    long t0 = System.nanoTime();
    TrainingData data = InputReader.pack(generated, "generated", schema, List.of(), InvalidRows.ERROR,
        org.sparkgmm.config.MissingValues.INVALID, 0, 4096, null);
    log("generated and cached in %.1f s (not timed)", secondsSince(t0));
    return data;
  }

  private Mixture start(SparkSession spark, CovarianceType type, TrainingData data) {
    FitConfig c = ConfigResolver.resolve(Map.of("input", "generated", "output", "unused", "k", Integer.toString(k),
        "covariance", type.externalName(), "seed", Long.toString(seed), "features-col", KnownMixture.FEATURES,
        "n-init", "1"), List.of(), null);
    long t0 = System.nanoTime();
    Mixture start = Fitting.starts(spark, c, data, s -> { }).get(0);
    log("start from k-means|| in %.1f s (not timed)", secondsSince(t0));
    return start;
  }

  /** Records every iteration's seconds and their median after the first two, and prints it. */
  private static void fitted(Map<String, Object> report, List<Double> seconds, String quality, double value) {
    double median = DgemmRate.median(seconds.subList(2, seconds.size()).stream().mapToDouble(x -> x).toArray());
    report.put("iteration_seconds", seconds);
    report.put("median_after_two", median);
    report.put(quality, value);
    log("%s: %.4f s/iter (median of iterations 3..%d; the first two: %.4f, %.4f); %s %.6f", report.get("system"),
        median, seconds.size(), seconds.get(0), seconds.get(1), quality, value);
  }

  private void predicted(Map<String, Object> report, double seconds) {
    report.put("predict_seconds", seconds);
    report.put("predict_rows_per_second", n / seconds);
    log("%s predict (label and probabilities) over %d rows: %.2f s, %.3g rows/s", report.get("system"), n, seconds,
        n / seconds);
  }

  private void sampled(Map<String, Object> report, double seconds) {
    report.put("sample_seconds", seconds);
    report.put("sample_rows_per_second", n / seconds);
    log("%s sample of %d rows from the fitted model: %.2f s, %.3g rows/s", report.get("system"), n, seconds,
        n / seconds);
  }

  /** The generated rows, cached as a DataFrame, so that predict times the model and not the generator. */
  private static Dataset<Row> cachedTable(Dataset<Row> generated) {
    Dataset<Row> table = generated.cache();
    long t0 = System.nanoTime();
    table.count();
    log("rows cached as a DataFrame for predict in %.1f s (not timed)", secondsSince(t0));
    return table;
  }

  /** Seconds to compute every output column of every row (Spark's noop sink discards them). */
  private static double timeWrite(Dataset<Row> predictions) {
    long t0 = System.nanoTime();
    predictions.write().format("noop").mode("overwrite").save();
    return secondsSince(t0);
  }

  /** Median seconds of a job that touches every cached block and computes nothing: Spark's floor per pass. */
  private double emptyJobSeconds(TrainingData data) {
    double[] seconds = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      data.blocks().context().runJob(data.blocks().rdd(), new CountRows(), ClassTag$.MODULE$.apply(Long.class));
      seconds[i] = secondsSince(t0);
    }
    return DgemmRate.median(seconds);
  }

  /** A progress listener that appends the seconds since its previous call (or its creation) to {@code into}. */
  private static ExpectationMaximization.Listener iterationTimer(List<Double> into) {
    long[] last = {System.nanoTime()};
    return (s, it, mean, change, sec) -> {
      long now = System.nanoTime();
      into.add((now - last[0]) / 1e9);
      last[0] = now;
    };
  }

  /** Rows in a partition's blocks: an empty pass, submitted the way spark-gmm's passes are. */
  private static final class CountRows extends AbstractFunction1<Iterator<DataBlock>, Long> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Long apply(Iterator<DataBlock> blocks) {
      long rows = 0;
      while (blocks.hasNext()) {
        rows += blocks.next().rows().rows();
      }
      return rows;
    }
  }

  private static long cachedBytes(SparkSession spark, int rddId) {
    for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      if (info.id() == rddId) {
        return info.memSize() + info.diskSize();
      }
    }
    throw new IllegalStateException("RDD " + rddId + " is not cached");
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
  }
}
