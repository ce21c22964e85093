package org.sparkgmm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.config.Storage;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.driver.Fitting;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.em.StepwiseEm;
import org.sparkgmm.io.FeatureSchema;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Wall time to a fit: batch EM to convergence against stepwise EM, on the same rows of a known
 * overlapping full-covariance mixture, from the same k-means|| start, in one Spark session, neither
 * warmed up (the order alternates between runs with {@code --stepwise-first}). Counts the rows each
 * reads. See {@code bench/run-stepwise}.
 */
@Command(name = "bench/run-stepwise", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Times batch EM to convergence against stepwise EM on the same data.")
public final class StepwiseBenchmark implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "4000000", description = "rows")
  long n;

  @Option(names = "--d", defaultValue = "4", description = "features")
  int d;

  @Option(names = "--k", defaultValue = "8", description = "components")
  int k;

  @Option(names = "--batches", defaultValue = "100", description = "stepwise EM's batches")
  int batches;

  @Option(names = "--tol", defaultValue = "1e-6", description = "batch EM's tolerance (mean log-likelihood per row)")
  double tol;

  @Option(names = "--stepwise-first", description = "run stepwise EM before batch EM")
  boolean stepwiseFirst;

  @Option(names = "--master", defaultValue = "local[2]")
  String master;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", defaultValue = "bench/results", description = "directory for the JSON and Markdown")
  Path out;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.exit(new CommandLine(new StepwiseBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSession.builder().master(master).appName("spark-gmm stepwise bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int cores = spark.sparkContext().defaultParallelism();
    // scale 0.35: components overlap, so batch EM needs many passes (well-separated ones converge in a few).
    Mixture truth = KnownMixture.model(k, d, CovarianceType.FULL, 0.35, seed);
    Dataset<Row> generated = KnownMixture.table(spark, truth, n, cores, seed);
    FeatureSchema schema = InputReader.schema(generated, "generated", List.of(), KnownMixture.FEATURES, null, null);
    TrainingData whole = InputReader.pack(generated, "generated", schema, List.of(), InvalidRows.ERROR,
        MissingValues.INVALID, 0, 4096, null);
    TrainingData split = InputReader.pack(generated, "generated", schema, List.of(), InvalidRows.ERROR,
        MissingValues.INVALID, 0, 4096, null, Storage.MEMORY_AND_DISK, new InputReader.Batching(batches, cores, seed));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cpu", DgemmRate.cpuModel());
    report.put("blas", Blas.describe());
    report.put("cores", cores);
    report.put("dgemm_gflops", DgemmRate.measure(cores, 1024, 5));
    report.put("n", n);
    report.put("d", d);
    report.put("k", k);
    report.put("batches", batches);
    report.put("batch_tol", tol);
    report.put("order", stepwiseFirst ? "stepwise, batch" : "batch, stepwise");
    try {
      FitConfig c = ConfigResolver.resolve(Map.of("input", "generated", "output", "unused", "k", Integer.toString(k),
          "seed", Long.toString(seed), "features-col", KnownMixture.FEATURES), List.of(), null);
      Mixture start = Fitting.starts(spark, c, whole, m -> { }).get(0);
      Map<String, Object> results = new LinkedHashMap<>();
      for (String which : stepwiseFirst ? List.of("stepwise", "batch") : List.of("batch", "stepwise")) {
        long t0 = System.nanoTime();
        if (which.equals("batch")) {
          FitResult fit = Fitting.run(spark, start, new EmOptions(1000, tol, 1e-6), whole, (s, it, m, ch, sec) -> { });
          double seconds = (System.nanoTime() - t0) / 1e9;
          results.put("batch", Map.of("seconds", seconds, "iterations", fit.iterations(),
              "rows_read", (fit.iterations() + 1L) * fit.rows(), "mean_log_likelihood", fit.meanLogLikelihood()));
        } else {
          StepwiseEm.Result r = Fitting.stepwise(spark, start, new EmOptions(100, 1e-4, 1e-6),
              new StepwiseEm.Options(StepwiseEm.DEFAULT_T0, StepwiseEm.DEFAULT_KAPPA, 20, seed, 0), split);
          double seconds = (System.nanoTime() - t0) / 1e9;
          results.put("stepwise", Map.of("seconds", seconds, "steps", r.steps(), "epochs", r.epochs(),
              "rows_read", r.rowsVisited(), "mean_log_likelihood", r.fit().meanLogLikelihood()));
        }
        System.err.println(which + ": " + results.get(which));
      }
      report.put("results", results);
      Map<?, ?> b = (Map<?, ?>) results.get("batch");
      Map<?, ?> s = (Map<?, ?>) results.get("stepwise");
      List<String> table = new ArrayList<>();
      table.add(String.format(Locale.ROOT, "| %,d x %d, k = %d full | seconds | rows read | mean log-likelihood |", n, d, k));
      table.add("|---|---|---|---|");
      table.add(String.format(Locale.ROOT, "| batch EM (tol %s, %s iterations) | %.1f | %,d | %.6f |", tol,
          b.get("iterations"), (Double) b.get("seconds"), (Long) b.get("rows_read"), (Double) b.get("mean_log_likelihood")));
      table.add(String.format(Locale.ROOT, "| stepwise EM (%d batches, %s steps) | %.1f | %,d | %.6f |", batches,
          s.get("steps"), (Double) s.get("seconds"), (Long) s.get("rows_read"), (Double) s.get("mean_log_likelihood")));
      Files.createDirectories(out);
      int index = 1;
      String base = String.format(Locale.ROOT, "stepwise-d%d-k%d-n%d", d, k, n);
      while (Files.exists(out.resolve(base + "-run" + index + ".json"))) {
        index++;
      }
      JSON.writeValue(out.resolve(base + "-run" + index + ".json").toFile(), report);
      Files.writeString(out.resolve(base + "-run" + index + ".md"), String.join("\n", table) + "\n",
          StandardCharsets.UTF_8);
      System.out.println(String.join("\n", table));
    } finally {
      whole.release();
      split.release();
      spark.stop();
    }
    return 0;
  }
}
