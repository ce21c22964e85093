package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.config.Criterion;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.SelectConfig;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.EmState;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.MetricsJson;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.io.SelectionTable;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.report.Charts;
import org.sparkgmm.report.FitReport;
import org.sparkgmm.report.ReportPage;
import org.sparkgmm.select.InformationCriteria;

/**
 * {@code gmm select}: reads the data once, builds every candidate's starts (one seeding per k,
 * shared by the covariance types), runs EM on all candidates at once (one pass per iteration for
 * the whole grid), and writes the table, the chart and the best model atomically.
 */
public final class SelectJob {
  private SelectJob() {}

  public static void run(SparkSession spark, SelectConfig s, PrintWriter progress) throws IOException {
    long start = System.nanoTime();
    FitConfig c = s.fit();
    if (c.online() != null) {
      throw new org.sparkgmm.errors.UsageException("--batch-size runs stepwise EM, which fit offers; select compares"
          + " candidates by batch EM: drop --batch-size (or fit the chosen candidate with it)");
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    try (OutputDirectory out = OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      TrainingData data = InputReader.load(spark, c, null);
      try {
        Reports.checkFeatures(c, data);
        DistributedPass pass = DistributedPass.over(spark, data);
        List<ComponentSpec> specs = s.specs(data.schema().names());
        // Like fit: the EM state of the whole grid is checkpointed; a rerun after the driver died resumes.
        EmState.Checkpoints checkpoints = FitCheckpoint.of(c.checkpoint(), c.output(), "select "
            + FitJob.fingerprintLine(c) + " k=" + s.ks() + " types=" + specs.stream().map(SelectConfig::label).toList(),
            c.input(), hadoop, progress, "select");
        EmState saved = checkpoints.resume();
        List<Mixture> starts = new ArrayList<>();
        org.sparkgmm.init.DataMoments moments = Initializer.moments(c, data, pass, saved != null);
        org.sparkgmm.em.EmOptions em = Initializer.emOptions(c, moments);
        if (saved != null) {
          saved.starts().forEach(st -> starts.add(st.model()));
        } else {
          for (int k : s.ks()) {
            for (List<Mixture> perSpec : Initializer.starts(c, k, specs, data, pass, moments, progress::println)) {
              starts.addAll(perSpec);
            }
          }
        }
        int initPasses = pass.passes();
        int candidates = s.ks().size() * specs.size();
        progress.printf(Locale.ROOT, "select: %d rows x %d features, %d candidates x %d start%s, %d init passes,"
            + " BLAS %s%n", data.rows(), data.schema().dimension(), candidates, c.nInit(), c.nInit() == 1 ? "" : "s",
            initPasses, Blas.describe());
        progress.println("select: storage " + data.storageUse().describe());
        List<org.sparkgmm.io.NonNumericColumns.LeftOut> leftOut = FitJob.leftOut(c, null, data, progress, "select");
        String holes = data.missing().describe(data.schema().names());
        if (holes != null) {
          progress.println("select: " + holes);
        }
        int[] pruned = {0};
        List<FitResult> results = ExpectationMaximization.fitAll(starts,
            em, pass, new ExpectationMaximization.Listener() {
              private int last;

              @Override
              public void iteration(int startIndex, int iteration, double mean, double change, double seconds) {
                if (iteration != last) {
                  last = iteration;
                  progress.printf(Locale.ROOT, "select: iter %3d  %.2f s%n", iteration, seconds);
                }
              }

              @Override
              public void pruned(int startIndex, int iteration, double mean) {
                if (pruned[0]++ == 0) {
                  progress.printf(Locale.ROOT, "select: small-EM kept the best %d of %d starts per candidate after"
                      + " %d iterations%n", c.smallEmKeep(), c.nInit(), iteration);
                }
              }
            }, checkpoints, c.smallEm());
        List<SelectionTable.Row> rows = new ArrayList<>();
        List<Integer> bestStart = new ArrayList<>();
        int r = c.nInit();
        for (int i = 0; i < candidates; i++) {
          List<FitResult> own = results.subList(i * r, (i + 1) * r);
          int b = ExpectationMaximization.best(own);
          bestStart.add(b);
          FitResult f = own.get(b);
          Mixture m = f.model();
          long p = m.parameterCount();
          double mean = f.meanLogLikelihood();
          rows.add(new SelectionTable.Row(m.components(), SelectConfig.label(specs.get(i % specs.size())),
              specs.get(i % specs.size()).gaussianType().isPresent(), f.logLikelihood(), mean, p,
              InformationCriteria.bic(mean, f.weightSum(), p), InformationCriteria.aic(mean, f.weightSum(), p),
              f.converged(), f.iterations()));
        }
        int best = 0;
        for (int i = 1; i < rows.size(); i++) {
          if (value(rows.get(i), s.criterion()) < value(rows.get(best), s.criterion())) {
            best = i;
          }
        }
        List<FitResult> winner = results.subList(best * r, (best + 1) * r);
        FitResult fit = winner.get(bestStart.get(best));
        Reports.View view = c.report() ? Reports.view(c, pass, fit.model()) : null;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.write(ModelStore.MODEL_FILE, ModelJson.write(fit.model(), fit.weightSum()));
        long[] seeds = Initializer.seeds(c);
        out.write("metrics.json", MetricsJson.write(winner, bestStart.get(best), new MetricsJson.RunFacts(
            data.skipped(), c.init().externalName(), seeds, c.initIter(), Parameter.letters(c.update()), null,
            List.of(), 0, c.tol(), c.maxIter(), em.regularisation(), pass.passes(), initPasses, 0.0, seconds,
            Blas.describe(), spark.sparkContext().master(), c.missing().externalName(), data.missing(),
            data.storageUse(), null, saved == null ? 0 : saved.iteration(), leftOut,
            FitJob.regularised(fit.model(), em.regularisation(), progress, "select"))));
        String criterion = s.criterion().externalName();
        out.write("selection.json", SelectionTable.json(rows, best, criterion, data.rows(), data.weightSum(),
            c.nInit(), pass.passes(), seconds));
        out.write("selection.csv", SelectionTable.csv(rows));
        String chosen = "k=" + rows.get(best).k() + " " + rows.get(best).model();
        String upper = criterion.toUpperCase(Locale.ROOT);
        try {
          out.write("selection.svg", Charts.document(Charts.criterion(upper, series(rows, s)),
              upper + " by number of components (best: " + chosen + ")"));
        } catch (RuntimeException | LinkageError e) {
          // A machine without fonts cannot draw text; the table and the model are still worth having.
          progress.println("select: warning: could not draw selection.svg (" + e + "); install fontconfig and a"
              + " font (e.g. fonts-dejavu-core)");
        }
        if (view != null) {
          FitReport.Content content = Reports.content(view, winner, bestStart.get(best),
              Reports.summary(c, data, fit, pass.passes(), seconds, spark.sparkContext().master()));
          Reports.write(out, () -> {
            ReportPage page = new ReportPage("spark-gmm select: " + chosen + " by " + upper + " on " + c.input());
            page.heading("Model selection")
                .chart("criterion", upper + " of every candidate (k x covariance type), each the best of "
                    + c.nInit() + " start" + (c.nInit() == 1 ? "" : "s") + "; lower is better. Chosen: " + chosen
                    + ".", Charts.criterion(upper, series(rows, s)))
                .table("Candidates", List.of("candidate", "log-likelihood", "parameters", "BIC", "AIC", "converged"),
                    rows.stream().map(row -> List.of("k=" + row.k() + " " + row.model(),
                        FitReport.number(row.logLikelihood()), Long.toString(row.parameters()),
                        FitReport.number(row.bic()), FitReport.number(row.aic()), Boolean.toString(row.converged())))
                        .toList())
                .heading("The chosen model: " + chosen);
            return FitReport.addModel(page, content).html();
          }, progress, "select");
        }
        out.commit();
        FitCheckpoint.clear(checkpoints);
        for (SelectionTable.Row row : rows) {
          progress.printf(Locale.ROOT, "select: k=%-3d %-9s  log-likelihood %.6f  bic %.4f  aic %.4f%s%n", row.k(),
              row.model(), row.logLikelihood(), row.bic(), row.aic(),
              row.converged() ? "" : "  (not converged)");
        }
        progress.printf(Locale.ROOT, "select: best by %s is %s (%s %.4f), %d passes over the data, wrote %s (%.1f s)%n",
            criterion, chosen, criterion, value(rows.get(best), s.criterion()), pass.passes(), out.target(), seconds);
      } finally {
        data.release();
      }
    }
  }

  private static double value(SelectionTable.Row row, Criterion criterion) {
    return criterion == Criterion.BIC ? row.bic() : row.aic();
  }

  private static Map<String, List<double[]>> series(List<SelectionTable.Row> rows, SelectConfig s) {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (SelectionTable.Row row : rows) {
      series.computeIfAbsent(row.model(), m -> new ArrayList<>()).add(new double[] {row.k(), value(row, s.criterion())});
    }
    return series;
  }
}
