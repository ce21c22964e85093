package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.config.UpdateConfig;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.io.FeatureSchema;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.MetricsJson;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;

/**
 * {@code gmm update}: EM on the new rows from the model, each M-step also counting the model's
 * evidence, {@code decay x effective_rows} rows that match it exactly
 * ({@link Mixture#expectedStatistics}), re-centred on the current parameters. Decay 0 is a fit of
 * the new rows started from the model. The updated model file carries
 * {@code effective_rows = decay x effective_rows + new rows}, so that the next update weighs it.
 */
public final class UpdateJob {
  private UpdateJob() {}

  /** Writes {@code OUT/model/model.json}, {@code OUT/metrics.json} and {@code OUT/_SUCCESS}. */
  public static void run(SparkSession spark, UpdateConfig c, PrintWriter progress) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Mixture model = ModelStore.read(c.model(), hadoop);
    double modelRows = modelRows(c, hadoop);
    try (OutputDirectory out = OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      Dataset<Row> table = InputReader.read(spark, c.input(), c.format());
      Updated u = apply(spark, c, model, modelRows, table, c.input(), c.model(), out, progress, "update");
      out.commit();
      progress.printf(Locale.ROOT, "update: %s after %d iterations, new rows' mean log-likelihood %.8f, effective rows"
          + " %.6g, wrote %s (%.1f s)%n", u.fit().converged() ? "converged" : "stopped (max-iter reached, not converged)",
          u.fit().iterations(), u.fit().meanLogLikelihood(), u.effectiveRows(), out.target(), u.seconds());
    }
  }

  /** The effective rows behind {@code c}'s model: {@code --model-rows}, else its file's (NaN when unknown). */
  static double modelRows(UpdateConfig c, Configuration hadoop) {
    double rows = Double.isNaN(c.modelRows()) ? ModelStore.effectiveRows(c.model(), hadoop) : c.modelRows();
    if (Double.isNaN(rows) && c.decay() > 0.0) {
      throw new BadInputException("Model " + c.model() + " does not say how many rows are behind it (no"
          + " effective_rows: written by hand or by an older release): pass --model-rows N, or --decay 0 to refit the"
          + " new rows from it");
    }
    return rows;
  }

  /** What one update did. */
  record Updated(Mixture model, FitResult fit, double effectiveRows, double seconds) {}

  /**
   * One update of {@code model} (with {@code modelRows} rows of evidence, NaN for none) by the rows of
   * {@code table}, its model and metrics written into {@code out} (not committed).
   *
   * @param what the command, for progress lines
   */
  static Updated apply(SparkSession spark, UpdateConfig c, Mixture model, double modelRows, Dataset<Row> table,
      String source, String modelName, OutputDirectory out, PrintWriter progress, String what) throws IOException {
    long start = System.nanoTime();
    FeatureSchema schema = InputReader.modelSchema(table, source, model, c.featuresCol(), c.weightCol());
    TrainingData data = InputReader.pack(table, source, schema, List.of(), c.invalidRows(), c.missing(), 0,
        c.blockRows(), InputReader.supportOf(model));
    try {
      double tol = !Double.isNaN(c.tol()) ? c.tol()
          : model.asGaussian().isPresent() ? EmOptions.DEFAULTS.tol() : EmOptions.GENERAL_TOL;
      DistributedPass pass = DistributedPass.over(spark, data);
      EmOptions em = new EmOptions(c.maxIter(), tol, c.regCovar());
      if (c.regCovarScale() == org.sparkgmm.em.RegScale.DATA) {
        try {
          em = em.withRegScale(org.sparkgmm.init.DataMoments.measure(pass, model.features()).variances());
        } catch (IllegalArgumentException e) {
          throw new org.sparkgmm.errors.BadInputException("Cannot measure the new rows of " + source + ": "
              + e.getMessage(), e);
        }
      }
      double prior = Double.isNaN(modelRows) ? 0.0 : c.decay() * modelRows;
      progress.printf(Locale.ROOT, "%s: %d new rows x %d features, k=%d %s; the model's evidence: %s rows x decay"
          + " %s = %.6g rows%n", what, data.rows(), model.dimension(), model.components(), model.describe(),
          Double.isNaN(modelRows) ? "unknown" : String.format(Locale.ROOT, "%.6g", modelRows), c.decay(), prior);
      String holes = data.missing().describe(model.features());
      if (holes != null) {
        progress.println(what + ": " + holes);
      }
      ExpectationMaximization.Listener lines = (s, iteration, mean, change, seconds) -> progress.printf(Locale.ROOT,
          "%s iter %3d  new rows' mean log-likelihood %.8f  change %s  %.2f s%n", what, iteration, mean,
          Double.isNaN(change) ? "         -" : String.format(Locale.ROOT, "%+.3e", change), seconds);
      FitResult fit = prior == 0.0 ? ExpectationMaximization.fit(model, em, pass, lines)
          : ExpectationMaximization.fitWithPrior(model, em, pass, lines, model.expectedStatistics(prior, em.regularisation()));
      double effective = prior + fit.weightSum();
      double seconds = (System.nanoTime() - start) / 1e9;
      out.write(ModelStore.MODEL_FILE, ModelJson.write(fit.model(), effective));
      out.write("metrics.json", MetricsJson.update(fit, new MetricsJson.RunFacts(data.skipped(), "update-model",
          new long[] {0L}, 0, Parameter.letters(em.update()), null, List.of(), 0, tol, c.maxIter(), em.regularisation(),
          pass.passes(), 0, 0.0, seconds, Blas.describe(), spark.sparkContext().master(), c.missing().externalName(),
          data.missing(), data.storageUse(), null, 0, List.of(),
          FitJob.regularised(fit.model(), em.regularisation(), progress, what)), modelName, c.decay(),
          Double.isNaN(modelRows) ? 0.0 : modelRows, effective));
      return new Updated(fit.model(), fit, effective, seconds);
    } finally {
      data.release();
    }
  }
}
