package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.MetricsJson;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.model.ModelJson;

/**
 * {@code gmm fit}: read and pack the input once, start, iterate EM (one Spark job per iteration),
 * write the output directory atomically. Orchestration only; the math is in {@code common}.
 */
public final class FitJob {
  private FitJob() {}

  /**
   * Runs a fit and writes {@code OUT/model/model.json}, {@code OUT/metrics.json}, {@code OUT/_SUCCESS}.
   *
   * @param progress where the per-iteration progress lines go
   * @return the EM result
   */
  public static FitResult run(SparkSession spark, FitConfig c, PrintWriter progress) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    try (OutputDirectory out = OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      TrainingData data = InputReader.load(spark, c);
      try {
        DistributedPass pass = new DistributedPass(JavaSparkContext.fromSparkContext(spark.sparkContext()),
            data.blocks());
        GaussianMixtureModel initial = Initializer.initialModel(c, data, pass, hadoop);
        progress.printf(Locale.ROOT, "fit: %d rows%s x %d features, k=%d %s, %d partitions, BLAS %s%n",
            data.rows(), data.skipped() > 0 ? " (" + data.skipped() + " invalid skipped)" : "",
            initial.dimension(), initial.components(), initial.covarianceType(), data.blocks().getNumPartitions(),
            Blas.describe());
        FitResult fit = ExpectationMaximization.fit(initial, new EmOptions(c.maxIter(), c.tol(), c.regCovar()), pass,
            (iteration, mean, change, seconds) -> progress.printf(Locale.ROOT,
                "iter %3d  mean log-likelihood %.8f  change %s  %.2f s%n",
                iteration, mean, Double.isNaN(change) ? "         -" : String.format(Locale.ROOT, "%+.3e", change),
                seconds));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.write(ModelStore.MODEL_FILE, ModelJson.write(fit.model()));
        out.write("metrics.json", MetricsJson.write(fit, new MetricsJson.RunFacts(data.skipped(),
            c.initModel() != null ? "init-model" : c.init().externalName(), c.seed(), c.tol(), c.maxIter(),
            c.regCovar(), seconds, Blas.describe(), spark.sparkContext().master())));
        out.commit();
        progress.printf(Locale.ROOT, "fit: %s after %d iterations, mean log-likelihood %.8f, wrote %s (%.1f s)%n",
            fit.converged() ? "converged" : "stopped (max-iter reached, not converged)", fit.iterations(),
            fit.meanLogLikelihood(), out.target(), seconds);
        return fit;
      } finally {
        data.release();
      }
    }
  }
}
