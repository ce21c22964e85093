package org.sparkgmm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Serializable;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
 * Seconds per EM iteration of spark-gmm, Spark MLlib and scikit-learn on the same generated rows, in
 * one run: see {@code bench/run} and the README's Performance section.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Times EM per iteration: spark-gmm and Spark MLlib in one Spark session, scikit-learn on the"
        + " same rows from the same start. Prints medians and ratios; writes JSON and a Markdown table.")
public final class SpeedBenchmark implements Callable<Integer> {
  @Option(names = "--n", split = ",", defaultValue = "1000000", description = "rows; a list runs a series")
  List<Long> rows;

  @Option(names = "--d", defaultValue = "4", description = "features")
  int d;

  @Option(names = "--k", defaultValue = "8", description = "components")
  int k;

  @Option(names = "--covariance", defaultValue = "full", description = "full, tied, diag or spherical")
  String covariance;

  @Option(names = "--iterations", defaultValue = "10", description = "EM iterations each contender runs")
  int iterations;

  @Option(names = "--warmup", defaultValue = "200", description = "untimed spark-gmm EM iterations first, in fits"
      + " of --iterations from the same start; the first fit is reported as the cold figure (a fresh JVM)")
  int warmup;

  @Option(names = "--mllib-warmup", defaultValue = "3", description = "untimed Spark MLlib iterations first (its"
      + " per-iteration work is long enough to warm its own code; Spark's job path is warm by then)")
  int mllibWarmup;

  @Option(names = "--skip", split = ",", defaultValue = "", description = "contenders to leave out: mllib, sklearn")
  List<String> skip;

  @Option(names = "--master", defaultValue = "local[2]")
  String master;

  @Option(names = "--partitions", defaultValue = "0", description = "partitions of the data; 0: one per core")
  int partitions;

  @Option(names = "--scale", defaultValue = "0.1", description = "component standard deviation scale (MLlib needs"
      + " densities above its 2.2e-16 floor)")
  double scale;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", defaultValue = "bench/results", description = "directory for the JSON and Markdown")
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
    CovarianceType type = CovarianceType.fromName(covariance);
    SparkSession spark = SparkSession.builder().master(master).appName("spark-gmm bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int cores = spark.sparkContext().defaultParallelism();
    int parts = partitions > 0 ? partitions : cores;
    Files.createDirectories(out);
    Files.createDirectories(work);

    log("BLAS %s; OPENBLAS_NUM_THREADS=%s; %d cores (%s)", Blas.describe(), System.getenv("OPENBLAS_NUM_THREADS"),
        cores, master);
    double dgemm = DgemmRate.measure(cores, 1024, 5);
    log("DGEMM 1024^3 on %d threads, one BLAS thread each: %.1f GFLOP/s (median of 5)", cores, dgemm);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("blas", Blas.describe());
    report.put("cores", cores);
    report.put("master", master);
    report.put("dgemm_gflops", dgemm);
    report.put("d", d);
    report.put("k", k);
    report.put("covariance", type.externalName());
    report.put("iterations", iterations);
    report.put("warmup_iterations", warmup);
    report.put("mllib_warmup_iterations", mllibWarmup);
    report.put("scale", scale);
    report.put("partitions", parts);
    report.put("flops_per_iteration_formula", flopsFormula(type));
    List<Map<String, Object>> runs = new ArrayList<>();
    report.put("runs", runs);
    List<String> table = new ArrayList<>();
    table.add("| data | spark-gmm s/iter | Spark MLlib s/iter | scikit-learn s/iter | vs MLlib | vs sklearn"
        + " | GFLOP/s | of DGEMM | cache / (n·d·8) |");
    table.add("|---|---|---|---|---|---|---|---|---|");

    for (long n : rows) {
      runs.add(runOne(spark, type, n, parts, cores, dgemm, table));
      String name = String.format(Locale.ROOT, "speed-d%d-k%d-%s%s", d, k, type.externalName(),
          rows.size() > 1 ? "-series" : "-n" + rows.get(0));
      JSON.writeValue(out.resolve(name + ".json").toFile(), report);
      Files.writeString(out.resolve(name + ".md"), String.join("\n", table) + "\n", StandardCharsets.UTF_8);
    }
    System.out.println(String.join("\n", table));
    spark.stop();
    return 0;
  }

  private Map<String, Object> runOne(SparkSession spark, CovarianceType type, long n, int parts, int cores,
      double dgemm, List<String> table) throws Exception {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("n", n);
    Mixture truth = KnownMixture.model(k, d, type, scale, seed);
    Dataset<Row> generated = KnownMixture.table(spark, truth, n, parts, seed);
    FeatureSchema schema = InputReader.schema(generated, "generated", List.of(), KnownMixture.FEATURES, null, null);
    long t0 = System.nanoTime();
    TrainingData data = InputReader.pack(generated, "generated", schema, List.of(), InvalidRows.ERROR,
        org.sparkgmm.config.MissingValues.INVALID, 0, 4096, null);
    log("n=%d d=%d k=%d %s: generated and cached in %.1f s", n, d, k, type.externalName(), secondsSince(t0));
    try {
      long cached = cachedBytes(spark, data.blocks().id());
      double rawBytes = n * d * 8.0;
      run.put("cached_bytes", cached);
      run.put("cached_over_raw", cached / rawBytes);
      log("cached blocks: %d bytes = %.3f x n*d*8", cached, cached / rawBytes);

      FitConfig c = ConfigResolver.resolve(Map.of("input", "generated", "output", "unused", "k", Integer.toString(k),
          "covariance", type.externalName(), "seed", Long.toString(seed), "features-col", KnownMixture.FEATURES),
          List.of(), null);
      t0 = System.nanoTime();
      Mixture start = Fitting.starts(spark, c, data, s -> { }).get(0);
      log("start from k-means|| in %.1f s (not timed below)", secondsSince(t0));

      if (warmup > 0) {
        warmUp(spark, start, data, run);
      }
      List<Double> ours = new ArrayList<>();
      FitResult fit = Fitting.run(spark, start, new EmOptions(iterations, 0.0, 1e-6), data, iterationTimer(ours));
      check(fit.iterations() == iterations, "spark-gmm ran " + fit.iterations() + " iterations");
      double oursMedian = DgemmRate.median(toArray(ours));
      double flops = flops(type, n);
      run.put("spark_gmm", Map.of("iteration_seconds", ours, "median", oursMedian, "iterations", fit.iterations(),
          "mean_log_likelihood", fit.meanLogLikelihood()));
      run.put("gflops", flops / oursMedian / 1e9);
      run.put("fraction_of_dgemm", flops / oursMedian / 1e9 / dgemm);
      log("spark-gmm: %.4f s/iter (median of %d), %.1f GFLOP/s = %.0f%% of DGEMM", oursMedian, ours.size(),
          flops / oursMedian / 1e9, 100 * flops / oursMedian / 1e9 / dgemm);

      double floor = emptyJobSeconds(data);
      run.put("empty_job_seconds", floor);
      log("an empty Spark job over the same cached blocks: %.4f s (median of %d): the fixed part of an iteration",
          floor, iterations);

      Double mllibMedian = null;
      if (!skip.contains("mllib") && type == CovarianceType.FULL) {
        if (mllibWarmup > 0) {
          MllibRun.fit(spark, generated, k, mllibWarmup, seed);
        }
        MllibRun.Result m = MllibRun.fit(spark, generated, k, iterations, seed);
        check(m.numIter() == iterations && m.iterationSeconds().size() == iterations,
            "Spark MLlib stopped after " + m.numIter() + " iterations (" + m.iterationSeconds().size()
                + " iteration jobs) of " + iterations + ": its densities fell under its 2.2e-16 floor; use a smaller --scale");
        mllibMedian = DgemmRate.median(toArray(m.iterationSeconds()));
        run.put("mllib", Map.of("iteration_seconds", m.iterationSeconds(), "median", mllibMedian,
            "num_iter", m.numIter(), "log_likelihood", m.logLikelihood()));
        log("Spark MLlib: %.4f s/iter (median of %d jobs, numIter %d) -> spark-gmm is %.1fx faster", mllibMedian,
            m.iterationSeconds().size(), m.numIter(), mllibMedian / oursMedian);
      }
      Double sklearnMedian = null;
      if (!skip.contains("sklearn")) {
        Path file = work.resolve(String.format(Locale.ROOT, "rows-n%d-d%d-k%d-%s-s%d.f64", n, d, k,
            type.externalName(), seed));
        SklearnRun.writeRows(data, d, file);
        SklearnRun.Result s = SklearnRun.fit(script, file, data.rows(), d, start, iterations, cores, work);
        check(s.numIter() == iterations, "scikit-learn ran " + s.numIter() + " iterations");
        sklearnMedian = DgemmRate.median(toArray(s.iterationSeconds()));
        run.put("sklearn", Map.of("iteration_seconds", s.iterationSeconds(), "median", sklearnMedian,
            "n_iter", s.numIter(), "lower_bound", s.lowerBound(), "blas_threads", cores));
        log("scikit-learn: %.4f s/iter (median of %d, OPENBLAS_NUM_THREADS=%d) -> spark-gmm is %.1fx faster",
            sklearnMedian, s.iterationSeconds().size(), cores, sklearnMedian / oursMedian);
        log("mean log-likelihood after %d iterations: spark-gmm %.6f, scikit-learn %.6f", iterations,
            fit.meanLogLikelihood(), s.lowerBound());
      }
      table.add(String.format(Locale.ROOT, "| %,d x %d, k = %d %s | %.3f | %s | %s | %s | %s | %.1f | %.0f%% | %.3f |",
          n, d, k, type.externalName(), oursMedian, fmt(mllibMedian), fmt(sklearnMedian),
          ratio(mllibMedian, oursMedian), ratio(sklearnMedian, oursMedian), flops / oursMedian / 1e9,
          100 * flops / oursMedian / 1e9 / dgemm, cached / rawBytes));
      return run;
    } finally {
      data.release();
    }
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

  /**
   * Untimed fits of {@link #iterations} from {@code start} until {@link #warmup} iterations have run.
   * On two cores the JIT's threads compete with the tasks, and Spark's job path (scheduler,
   * serialization, Scala collections) runs a few times per job, so it takes a few hundred jobs to be
   * compiled: iterations at 1M x 4 x 8 go from ~50 ms to ~25-30 ms. The first fit is the cold figure;
   * the JIT's share of the last fit's time is recorded to show how warm the JVM got.
   */
  private void warmUp(SparkSession spark, Mixture start, TrainingData data, Map<String, Object> run) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    List<Double> cold = null;
    double compiledShare = Double.NaN;
    for (int done = 0; done < warmup; done += iterations) {
      List<Double> seconds = new ArrayList<>();
      long compiledBefore = jit.getTotalCompilationTime();
      long t0 = System.nanoTime();
      Fitting.run(spark, start, new EmOptions(Math.min(iterations, warmup - done), 0.0, 1e-6), data,
          iterationTimer(seconds));
      compiledShare = (jit.getTotalCompilationTime() - compiledBefore) / 1e3 / secondsSince(t0);
      if (cold == null) {
        cold = seconds;
      }
    }
    double coldMedian = DgemmRate.median(toArray(cold));
    run.put("spark_gmm_cold", Map.of("iteration_seconds", cold, "median", coldMedian));
    run.put("warmup_last_fit_jit_share", compiledShare);
    log("spark-gmm cold (the first fit in this JVM): %.4f s/iter (median of %d); then %d untimed iterations (the JIT"
        + " compiled for %.0f%% of the last fit's time)", coldMedian, cold.size(), warmup, 100 * compiledShare);
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

  /** Flops of one iteration as the issue counts them: 4 n k d^2 with a full or tied covariance, 4 n k d otherwise. */
  private double flops(CovarianceType type, long n) {
    boolean square = type == CovarianceType.FULL || type == CovarianceType.TIED;
    return 4.0 * n * k * d * (square ? d : 1);
  }

  private static String flopsFormula(CovarianceType type) {
    return type == CovarianceType.FULL || type == CovarianceType.TIED ? "4*n*k*d^2" : "4*n*k*d";
  }

  private static long cachedBytes(SparkSession spark, int rddId) {
    for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      if (info.id() == rddId) {
        return info.memSize() + info.diskSize();
      }
    }
    throw new IllegalStateException("RDD " + rddId + " is not cached");
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String fmt(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ratio(Double theirs, double ours) {
    return theirs == null ? "–" : String.format(Locale.ROOT, "%.1fx", theirs / ours);
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
