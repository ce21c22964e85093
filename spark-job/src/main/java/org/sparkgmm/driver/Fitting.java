package org.sparkgmm.driver;

import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.init.DataMoments;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.Mixture;

/** A whole fit on data already packed, for callers that are not the fit command (the Spark ML stage). */
public final class Fitting {
  private Fitting() {}

  /**
   * Builds the starts of {@code c} and runs EM from all of them; returns the best.
   *
   * @param log told about each iteration and each init step
   */
  public static FitResult best(SparkSession spark, FitConfig c, TrainingData data, Consumer<String> log) {
    DistributedPass pass = DistributedPass.over(spark, data);
    Mixture initModel = initModel(spark, c);
    DataMoments moments = Initializer.moments(c, data, pass, initModel != null);
    List<Mixture> starts = Initializer.initialModels(c, initModel, data, pass, moments, log);
    List<FitResult> results = ExpectationMaximization.fitAll(starts, Initializer.emOptions(c, moments), pass,
        (s, iteration, mean, change, seconds) -> log.accept(String.format(java.util.Locale.ROOT,
            "start %d iter %d mean log-likelihood %.8f", s + 1, iteration, mean)), org.sparkgmm.em.EmState.NONE,
        c.smallEm());
    return results.get(ExpectationMaximization.best(results));
  }

  /** The starting models {@code c} asks for (init passes run on {@code data}), as {@link #best} builds them. */
  public static List<Mixture> starts(SparkSession spark, FitConfig c, TrainingData data,
      Consumer<String> log) {
    DistributedPass pass = DistributedPass.over(spark, data);
    Mixture initModel = initModel(spark, c);
    return Initializer.initialModels(c, initModel, data, pass, Initializer.moments(c, data, pass, initModel != null),
        log);
  }

  private static Mixture initModel(SparkSession spark, FitConfig c) {
    return c.initModel() == null ? null : ModelStore.read(c.initModel(), spark.sparkContext().hadoopConfiguration());
  }

  /** Stepwise EM from one given start on data packed in batches (the benchmark's entry). */
  public static org.sparkgmm.em.StepwiseEm.Result stepwise(SparkSession spark, Mixture start, EmOptions options,
      org.sparkgmm.em.StepwiseEm.Options stepwise, TrainingData data) {
    return org.sparkgmm.em.StepwiseEm.fit(start, options, stepwise, DistributedPass.over(spark, data),
        (t, e, b, n, g, ll, s) -> { }, (s, it, m, ch, sec) -> { });
  }

  /** EM from one given start on the packed data, each iteration one pass (the benchmark's entry). */
  public static FitResult run(SparkSession spark, Mixture start, EmOptions options, TrainingData data,
      ExpectationMaximization.Listener listener) {
    return ExpectationMaximization.fit(start, options, DistributedPass.over(spark, data), listener);
  }
}
