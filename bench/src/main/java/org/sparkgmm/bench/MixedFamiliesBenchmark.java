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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.Factor;
import org.sparkgmm.config.ConfigResolver;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.InvalidRows;
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
 * Seconds per EM iteration of a general mixture (eight features of six families) against a
 * diagonal-Gaussian mixture of the same shape, on the same cached rows in the same Spark session,
 * each from its own k-means|| start, with the same untimed warm-up. See {@code bench/run-mixed}.
 */
@Command(name = "bench/run-mixed", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Times EM per iteration for mixed families against a diagonal Gaussian of the same shape.")
public final class MixedFamiliesBenchmark implements Callable<Integer> {
  /** The structure timed: two Normal, LogNormal, Exponential, Gamma, Poisson, Bernoulli and a 4-code Categorical. */
  static final String SPEC = "a:normal,b:normal,c:lognormal,d:exponential,e:gamma,f:poisson,g:bernoulli,h:categorical";

  @Option(names = "--n", defaultValue = "1000000", description = "rows")
  long n;

  @Option(names = "--k", defaultValue = "8", description = "components")
  int k;

  @Option(names = "--iterations", defaultValue = "10", description = "timed EM iterations per fit")
  int iterations;

  @Option(names = "--warmup", defaultValue = "100", description = "untimed EM iterations of each model first")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "timed fits of each model, alternating")
  int rounds;

  @Option(names = "--master", defaultValue = "local[2]")
  String master;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", defaultValue = "bench/results", description = "directory for the JSON and Markdown")
  Path out;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.exit(new CommandLine(new MixedFamiliesBenchmark()).execute(args));
  }

  /** k components with well-spread random parameters for {@link #SPEC}. */
  static Mixture truth(int k, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Component> comps = new ArrayList<>();
    double[] w = new double[k];
    for (int c = 0; c < k; c++) {
      w[c] = 1.0 / k;
      double[] cat = {r.nextDouble(0.1, 1), r.nextDouble(0.1, 1), r.nextDouble(0.1, 1), r.nextDouble(0.1, 1)};
      double s = cat[0] + cat[1] + cat[2] + cat[3];
      for (int l = 0; l < 4; l++) {
        cat[l] /= s;
      }
      comps.add(Component.of(Factor.normal(r.nextDouble(-10, 10), r.nextDouble(0.5, 2)),
          Factor.normal(r.nextDouble(-10, 10), r.nextDouble(0.5, 2)), Factor.logNormal(r.nextDouble(-1, 2), 0.05),
          Factor.exponential(r.nextDouble(0.2, 5)), Factor.gamma(r.nextDouble(1, 8), r.nextDouble(0.5, 2)),
          Factor.poisson(r.nextDouble(1, 20)), Factor.bernoulli(r.nextDouble(0.1, 0.9)), Factor.categorical(cat)));
    }
    return Mixture.ofComponents(w, comps, ComponentSpec.parse(SPEC).features());
  }

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSession.builder().master(master).appName("spark-gmm mixed bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int cores = spark.sparkContext().defaultParallelism();
    ComponentSpec spec = ComponentSpec.parse(SPEC);
    Mixture truth = truth(k, seed);
    Dataset<Row> generated = KnownMixture.table(spark, truth, n, cores, seed);
    FeatureSchema schema = InputReader.schema(generated, "generated", List.of(), KnownMixture.FEATURES, null, null);
    TrainingData data = InputReader.pack(generated, "generated", schema, List.of(), InvalidRows.ERROR,
        org.sparkgmm.config.MissingValues.INVALID, 0, 4096, spec);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("blas", Blas.describe());
    report.put("cores", cores);
    report.put("master", master);
    report.put("dgemm_gflops", DgemmRate.measure(cores, 1024, 5));
    report.put("n", n);
    report.put("d", spec.features().size());
    report.put("k", k);
    report.put("distributions", SPEC);
    report.put("iterations", iterations);
    report.put("warmup_iterations", warmup);
    try {
      FitConfig diag = ConfigResolver.resolve(Map.of("input", "generated", "output", "unused", "k", Integer.toString(k),
          "covariance", "diag", "seed", Long.toString(seed), "features-col", KnownMixture.FEATURES), List.of(), null);
      Map<String, Mixture> starts = new LinkedHashMap<>();
      starts.put("mixed", Fitting.starts(spark, diag.withDistributions(spec), data, m -> { }).get(0));
      starts.put("diag", Fitting.starts(spark, diag, data, m -> { }).get(0));
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      Map<String, Double> loglik = new LinkedHashMap<>();
      for (Map.Entry<String, Mixture> e : starts.entrySet()) {
        for (int done = 0; done < warmup; done += iterations) {
          Fitting.run(spark, e.getValue(), new EmOptions(iterations, 0.0, 1e-6), data, (s, it, m, ch, sec) -> { });
        }
        seconds.put(e.getKey(), new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, Mixture> e : starts.entrySet()) {
          List<Double> into = seconds.get(e.getKey());
          long[] last = {System.nanoTime()};
          FitResult fit = Fitting.run(spark, e.getValue(), new EmOptions(iterations, 0.0, 1e-6), data,
              (s, it, m, ch, sec) -> {
                long now = System.nanoTime();
                into.add((now - last[0]) / 1e9);
                last[0] = now;
              });
          loglik.put(e.getKey(), fit.meanLogLikelihood());
        }
      }
      List<String> table = new ArrayList<>();
      table.add("| data | model | s/iter (median) | range | mean log-likelihood after " + iterations + " |");
      table.add("|---|---|---|---|---|");
      Map<String, Object> results = new LinkedHashMap<>();
      for (String name : starts.keySet()) {
        double[] v = seconds.get(name).stream().mapToDouble(Double::doubleValue).toArray();
        double median = DgemmRate.median(v);
        double lo = java.util.Arrays.stream(v).min().orElseThrow();
        double hi = java.util.Arrays.stream(v).max().orElseThrow();
        results.put(name, Map.of("iteration_seconds", seconds.get(name), "median", median, "min", lo, "max", hi,
            "mean_log_likelihood", loglik.get(name)));
        table.add(String.format(Locale.ROOT, "| %,d x 8, k = %d | %s | %.4f | %.4f-%.4f | %.4f |", n, k,
            name.equals("mixed") ? SPEC : "diag gaussian", median, lo, hi, loglik.get(name)));
        System.err.printf(Locale.ROOT, "%s: %.4f s/iter (median of %d)%n", name, median, v.length);
      }
      double ratio = ((Double) ((Map<?, ?>) results.get("mixed")).get("median"))
          / ((Double) ((Map<?, ?>) results.get("diag")).get("median"));
      report.put("results", results);
      report.put("mixed_over_diag", ratio);
      table.add("");
      table.add(String.format(Locale.ROOT, "mixed / diag: %.2f", ratio));
      Files.createDirectories(out);
      // Every run keeps its own files: run1, run2, ...
      int index = 1;
      String base = String.format(Locale.ROOT, "mixed-d8-k%d-n%d", k, n);
      while (Files.exists(out.resolve(base + "-run" + index + ".json"))) {
        index++;
      }
      String name = base + "-run" + index;
      JSON.writeValue(out.resolve(name + ".json").toFile(), report);
      Files.writeString(out.resolve(name + ".md"), String.join("\n", table) + "\n", StandardCharsets.UTF_8);
      System.out.println(String.join("\n", table));
    } finally {
      data.release();
      spark.stop();
    }
    return 0;
  }
}
