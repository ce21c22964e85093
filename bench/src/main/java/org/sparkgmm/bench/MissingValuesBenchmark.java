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
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.driver.Fitting;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.io.FeatureSchema;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Seconds per EM iteration with missing values against the same rows complete: a full-covariance
 * Gaussian mixture, both fits from the same start (k-means|| on the complete rows), both tables
 * packed under {@code --missing marginalize}, in the same Spark session with the same untimed
 * warm-up, timed rounds alternating. See {@code bench/run-missing}.
 */
@Command(name = "bench/run-missing", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Times EM per iteration on data with missing cells against the same data complete.")
public final class MissingValuesBenchmark implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "1000000", description = "rows")
  long n;

  @Option(names = "--d", defaultValue = "8", description = "features")
  int d;

  @Option(names = "--k", defaultValue = "8", description = "components")
  int k;

  @Option(names = "--missing", defaultValue = "0.1", description = "fraction of cells missing, completely at random")
  double missing;

  @Option(names = "--iterations", defaultValue = "10", description = "timed EM iterations per fit")
  int iterations;

  @Option(names = "--warmup", defaultValue = "30", description = "untimed EM iterations of each table first")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "timed fits of each table, alternating")
  int rounds;

  @Option(names = "--master", defaultValue = "local[2]")
  String master;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", defaultValue = "bench/results", description = "directory for the JSON and Markdown")
  Path out;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.exit(new CommandLine(new MissingValuesBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSession.builder().master(master).appName("spark-gmm missing-values bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int cores = spark.sparkContext().defaultParallelism();
    Mixture truth = KnownMixture.model(k, d, CovarianceType.FULL, 1.0, seed);
    Map<String, TrainingData> tables = new LinkedHashMap<>();
    for (String name : List.of("complete", "missing")) {
      Dataset<Row> generated = KnownMixture.table(spark, truth, n, cores, seed, name.equals("missing") ? missing : 0.0);
      FeatureSchema schema = InputReader.schema(generated, "generated", List.of(), KnownMixture.FEATURES, null, null);
      tables.put(name, InputReader.pack(generated, "generated", schema, List.of(), InvalidRows.ERROR,
          MissingValues.MARGINALIZE, 0, 4096, null));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("blas", Blas.describe());
    report.put("cores", cores);
    report.put("master", master);
    report.put("cpu", DgemmRate.cpuModel());
    report.put("dgemm_gflops", DgemmRate.measure(cores, 1024, 5));
    report.put("n", n);
    report.put("d", d);
    report.put("k", k);
    report.put("covariance", "full");
    report.put("missing_fraction", missing);
    report.put("missing_cells", tables.get("missing").missing().totalCells());
    report.put("incomplete_rows", tables.get("missing").missing().incompleteRows());
    report.put("iterations", iterations);
    report.put("warmup_iterations", warmup);
    try {
      FitConfig full = ConfigResolver.resolve(Map.of("input", "generated", "output", "unused", "k", Integer.toString(k),
          "covariance", "full", "seed", Long.toString(seed), "features-col", KnownMixture.FEATURES), List.of(), null);
      Mixture start = Fitting.starts(spark, full, tables.get("complete"), m -> { }).get(0);
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      Map<String, Double> loglik = new LinkedHashMap<>();
      for (Map.Entry<String, TrainingData> e : tables.entrySet()) {
        for (int done = 0; done < warmup; done += iterations) {
          Fitting.run(spark, start, new EmOptions(iterations, 0.0, 1e-6), e.getValue(), (s, it, m, ch, sec) -> { });
        }
        seconds.put(e.getKey(), new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, TrainingData> e : tables.entrySet()) {
          List<Double> into = seconds.get(e.getKey());
          long[] last = {System.nanoTime()};
          FitResult fit = Fitting.run(spark, start, new EmOptions(iterations, 0.0, 1e-6), e.getValue(),
              (s, it, m, ch, sec) -> {
                long now = System.nanoTime();
                into.add((now - last[0]) / 1e9);
                last[0] = now;
              });
          loglik.put(e.getKey(), fit.meanLogLikelihood());
        }
      }
      List<String> table = new ArrayList<>();
      table.add("| data (full, k = " + k + ") | s/iter (median) | range | mean log-likelihood after " + iterations + " |");
      table.add("|---|---|---|---|");
      Map<String, Object> results = new LinkedHashMap<>();
      for (String name : tables.keySet()) {
        double[] v = seconds.get(name).stream().mapToDouble(Double::doubleValue).toArray();
        double median = DgemmRate.median(v);
        double lo = java.util.Arrays.stream(v).min().orElseThrow();
        double hi = java.util.Arrays.stream(v).max().orElseThrow();
        results.put(name, Map.of("iteration_seconds", seconds.get(name), "median", median, "min", lo, "max", hi,
            "mean_log_likelihood", loglik.get(name)));
        table.add(String.format(Locale.ROOT, "| %,d x %d, %s | %.4f | %.4f-%.4f | %.4f |", n, d,
            name.equals("missing") ? String.format(Locale.ROOT, "%.0f%% of cells missing", 100 * missing) : "complete",
            median, lo, hi, loglik.get(name)));
        System.err.printf(Locale.ROOT, "%s: %.4f s/iter (median of %d)%n", name, median, v.length);
      }
      double ratio = ((Double) ((Map<?, ?>) results.get("missing")).get("median"))
          / ((Double) ((Map<?, ?>) results.get("complete")).get("median"));
      report.put("results", results);
      report.put("missing_over_complete", ratio);
      table.add("");
      table.add(String.format(Locale.ROOT, "missing / complete: %.2f (target: at most 2)", ratio));
      Files.createDirectories(out);
      int index = 1;
      String base = String.format(Locale.ROOT, "missing-d%d-k%d-n%d", d, k, n);
      while (Files.exists(out.resolve(base + "-run" + index + ".json"))) {
        index++;
      }
      String name = base + "-run" + index;
      JSON.writeValue(out.resolve(name + ".json").toFile(), report);
      Files.writeString(out.resolve(name + ".md"), String.join("\n", table) + "\n", StandardCharsets.UTF_8);
      System.out.println(String.join("\n", table));
    } finally {
      tables.values().forEach(TrainingData::release);
      spark.stop();
    }
    return 0;
  }
}
