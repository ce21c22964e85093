package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.EmState;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.StepwiseEm;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.em.Reseed;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.MetricsJson;
import org.sparkgmm.io.NonNumericColumns;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.linalg.Blas;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.report.FitReport;
import org.sparkgmm.report.ReportPage;

/**
 * {@code gmm fit}: read and pack the input once, build the starts, iterate EM (one Spark job per
 * iteration for all starts), write the best start's model and everything's metrics atomically.
 * Orchestration only; the math is in {@code common}.
 */
public final class FitJob {
  private FitJob() {}

  /**
   * Runs a fit and writes {@code OUT/model/model.json}, {@code OUT/metrics.json}, {@code OUT/_SUCCESS}
   * (and {@code OUT/predictions/} with {@code --predictions}).
   *
   * @param progress where the per-iteration progress lines go
   */
  public static void run(SparkSession spark, FitConfig c, PrintWriter progress) throws IOException {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    try (OutputDirectory out = OutputDirectory.prepare(c.output(), c.overwrite(), hadoop)) {
      Mixture initModel = c.initModel() == null ? null : ModelStore.read(c.initModel(), hadoop);
      TrainingData data = InputReader.load(spark, c, initModel);
      try {
        Reports.checkFeatures(c, data);
        DistributedPass pass = DistributedPass.over(spark, data);
        long initStart = System.nanoTime();
        // Batch EM keeps checkpoints; a rerun after the driver died goes on from the last one.
        EmState.Checkpoints checkpoints = c.online() != null ? EmState.NONE : FitCheckpoint.of(c.checkpoint(),
            c.output(), fingerprintLine(c), c.input(), hadoop, progress, "fit");
        EmState saved = checkpoints.resume();
        org.sparkgmm.init.DataMoments moments = Initializer.moments(c, data, pass, saved != null || initModel != null);
        org.sparkgmm.em.EmOptions em = Initializer.emOptions(c, moments);
        List<Mixture> starts = saved != null ? saved.starts().stream().map(EmState.Start::model).toList()
            : Initializer.initialModels(c, initModel, data, pass, moments, progress::println);
        double initSeconds = (System.nanoTime() - initStart) / 1e9;
        int initPasses = pass.passes();
        Mixture first = starts.get(0);
        progress.printf(Locale.ROOT, "fit: %d rows%s%s x %d features, k=%d %s, %d start%s, %d partitions, BLAS %s%n",
            data.rows(), data.skipped() > 0 ? " (" + data.skipped() + " invalid skipped)" : "",
            c.labelCol() != null ? " (" + data.labelledRows() + " labelled)" : "",
            first.dimension(), first.components(), first.describe(), starts.size(),
            starts.size() == 1 ? "" : "s", data.blocks().getNumPartitions(), Blas.describe());
        progress.println("fit: storage " + data.storageUse().describe());
        if (c.online() != null) {
          progress.printf(Locale.ROOT, "fit: stepwise EM over %d batches of about %d rows (%d partitions each),"
              + " step size (t + %s)^-%s, at most %d epochs%n", data.batching().batches(),
              data.rows() / data.batching().batches(), data.batching().perBatch(), c.online().t0(), c.online().kappa(),
              c.online().epochs());
        }
        List<NonNumericColumns.LeftOut> leftOut = leftOut(c, initModel, data, progress, "fit");
        String holes = data.missing().describe(first.features());
        if (holes != null) {
          progress.println("fit: " + holes);
        }
        boolean many = starts.size() > 1;
        ProgressLines iterations = new ProgressLines(progress, many, c.smallEmKeep());
        List<FitResult> results = new java.util.ArrayList<>();
        List<StepwiseEm.Result> stepwise = new java.util.ArrayList<>();
        if (c.online() == null) {
          results = ExpectationMaximization.fitAll(starts, em, pass, iterations, checkpoints,
              c.smallEm());
          iterations.flush();
        } else {
          for (int s = 0; s < starts.size(); s++) {
            String who = many ? "start " + (s + 1) + " " : "";
            StepwiseEm.Result r = StepwiseEm.fit(starts.get(s), em, c.online().options(c.seed() + s), pass,
                (step, epoch, batch, rows, gamma, mean, secs) -> progress.printf(Locale.ROOT,
                    "%sstep %4d  epoch %d  batch %d  %d rows  gamma %.4f  batch mean log-likelihood %.8f  %.2f s%n",
                    who, step, epoch, batch, rows, gamma, mean, secs), iterations);
            iterations.flush();
            stepwise.add(r);
            results.add(r.fit());
          }
        }
        int best = ExpectationMaximization.best(results);
        FitResult fit = results.get(best);
        if (c.predictions()) {
          // The table as read for the fit: no second existence check or CSV schema inference.
          ApplyJobs.writePredictions(spark, data.table(), c.input(), fit.model(),
              c.featuresCol(), c.keepCols(), c.logProba(), c.invalidRows(), c.missing(), false, out);
        }
        Reports.View view = c.report() ? Reports.view(c, pass, fit.model()) : null;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.write(ModelStore.MODEL_FILE, ModelJson.write(fit.model(), fit.weightSum()));
        out.write("metrics.json", MetricsJson.write(results, best, new MetricsJson.RunFacts(data.skipped(),
            initName(c), Initializer.seeds(c), c.initIter(), Parameter.letters(c.update()), c.labelCol(),
            data.labels(), data.labelledRows(), c.tol(), c.maxIter(), em.regularisation(), pass.passes(), initPasses,
            initSeconds, seconds,
            Blas.describe(), spark.sparkContext().master(), c.missing().externalName(), data.missing(),
            data.storageUse(), stepwise.isEmpty() ? null : onlineFacts(c, data, stepwise.get(best)),
            saved == null ? 0 : saved.iteration(), leftOut,
            regularised(fit.model(), em.regularisation(), progress, "fit"))));
        if (view != null) {
          FitReport.Content content = Reports.content(view, results, best,
              Reports.summary(c, data, fit, pass.passes(), seconds, spark.sparkContext().master()));
          Reports.write(out, () -> FitReport.addModel(new ReportPage("spark-gmm fit: " + fit.model().components()
              + " components on " + c.input()), content).html(), progress, "fit");
        }
        out.commit();
        FitCheckpoint.clear(checkpoints);
        if (many) {
          progress.printf(Locale.ROOT, "fit: best of %d starts is start %d (seed %d)%n", results.size(), best + 1,
              c.seed() + best);
        }
        progress.printf(Locale.ROOT, "fit: %s after %d iterations, mean log-likelihood %.8f, %d passes over the data,"
            + " wrote %s (%.1f s)%n",
            fit.converged() ? "converged" : "stopped (max-iter reached, not converged)", fit.iterations(),
            fit.meanLogLikelihood(), pass.passes(), out.target(), seconds);
      } finally {
        data.release();
      }
    }
  }

  private static MetricsJson.OnlineFacts onlineFacts(FitConfig c, TrainingData data, StepwiseEm.Result r) {
    return new MetricsJson.OnlineFacts(data.batching().batches(), c.online().batchSize(), c.online().t0(),
        c.online().kappa(), c.online().epochs(), c.online().finalIterations(), r.steps(), r.epochs(), r.rowsVisited());
  }

  /**
   * With the default feature choice (every numeric column), the columns it left out, each named on
   * a progress line: a warning for a column of numbers spoiled by stray cells.
   */
  static List<NonNumericColumns.LeftOut> leftOut(FitConfig c, Mixture initModel, TrainingData data,
      PrintWriter progress, String who) {
    if (!c.features().isEmpty() || c.featuresCol() != null || c.distributions() != null || initModel != null) {
      return List.of();
    }
    List<NonNumericColumns.LeftOut> left = NonNumericColumns.leftOut(data.table(), data.schema());
    List<String> others = new java.util.ArrayList<>();
    for (NonNumericColumns.LeftOut l : left) {
      if (l.mostlyNumbers()) {
        progress.println(who + ": warning: column " + l.describe() + " is left out, not being numeric: fix those cells,"
            + " or name the features with --features to have the first one reported as an error");
      } else {
        others.add(l.describe());
      }
    }
    if (!others.isEmpty()) {
      progress.println(who + ": not numeric, so not features: " + String.join(", ", others));
    }
    return left;
  }

  /**
   * What the regularisation decided, on warning lines: the constant (or nearly constant) features
   * on one, then each other component at the reg_covar floor.
   */
  static org.sparkgmm.em.Regularised.Findings regularised(Mixture model,
      org.sparkgmm.component.Regularisation reg, PrintWriter progress, String who) {
    // A constant feature's variance is reg_covar itself (its scale is 1); a component's floor is relative.
    double regCovar = reg.reg();
    String floor = reg.relative() ? reg.reg() + " times the data's variance" : String.valueOf(reg.reg());
    org.sparkgmm.em.Regularised.Findings found = org.sparkgmm.em.Regularised.find(model, reg);
    List<String> constant = found.constantFeatures();
    if (!constant.isEmpty()) {
      boolean one = constant.size() == 1;
      progress.printf(Locale.ROOT, "%s: warning: constant or nearly constant feature%s %s: every component's variance"
          + " there is the regularisation (reg_covar %s), so %s add%s nothing to which component a row belongs;"
          + " rescale %s if %s spread matters%n", who, one ? "" : "s",
          constant.stream().map(f -> "'" + f + "'").collect(java.util.stream.Collectors.joining(", ")), regCovar,
          one ? "it" : "they", one ? "s" : "", one ? "it" : "them", one ? "its" : "their");
    }
    for (org.sparkgmm.em.Regularised r : found.components()) {
      progress.printf(Locale.ROOT, "%s: warning: component %d's covariance is at the reg_covar floor (%s) along"
          + " '%s' (variance %.3g): the data give it almost no spread there (fewer distinct points than features,"
          + " collinear features, or values far below reg_covar's scale)%n", who, r.component(), floor,
          r.feature(), r.variance());
    }
    return found;
  }

  /** What a checkpoint must have been written by: the resolved settings, and what changes the sums' order. */
  static String fingerprintLine(FitConfig c) {
    return "fit " + org.sparkgmm.config.ConfigResolver.describe(c) + " partitions=" + c.partitions() + " block-rows="
        + c.blockRows() + " storage=" + c.storage().externalName();
  }

  private static String initName(FitConfig c) {
    if (c.initModel() != null) {
      return "init-model";
    }
    return c.labelCol() != null ? "labels" : c.init().externalName();
  }

  /**
   * The progress lines of EM: one per iteration. With several starts the line is the best start's
   * (its mean log-likelihood and change) and says how many are running; small-EM's stops and
   * re-seeds get lines of their own.
   */
  static final class ProgressLines implements ExpectationMaximization.Listener {
    private final PrintWriter progress;
    private final boolean many;
    private final int keep;
    private int iteration = -1;
    private int running;
    private int bestStart;
    private double best;
    private double bestChange;
    private double seconds;

    ProgressLines(PrintWriter progress, boolean many, int keep) {
      this.progress = progress;
      this.many = many;
      this.keep = keep;
    }

    @Override
    public void iteration(int s, int it, double mean, double change, double secs) {
      if (!many) {
        print(it, mean, change, secs, "");
        return;
      }
      if (it != iteration) {
        flush();
        iteration = it;
        running = 0;
        best = Double.NEGATIVE_INFINITY;
      }
      running++;
      if (mean > best || running == 1) {
        best = mean;
        bestStart = s;
        bestChange = change;
      }
      seconds = secs;
    }

    @Override
    public void iterationDone(int it) {
      flush();
    }

    /** Prints the iteration gathered so far, if any. */
    void flush() {
      if (iteration >= 0) {
        print(iteration, best, bestChange, seconds, String.format(Locale.ROOT, "  (start %d, best of %d running)",
            bestStart + 1, running));
        iteration = -1;
      }
    }

    private void print(int it, double mean, double change, double secs, String suffix) {
      progress.printf(Locale.ROOT, "iter %3d  mean log-likelihood %.8f  change %s  %.2f s%s%n", it, mean,
          Double.isNaN(change) ? "         -" : String.format(Locale.ROOT, "%+.3e", change), secs, suffix);
    }

    @Override
    public void pruned(int s, int it, double mean) {
      flush();
      progress.printf(Locale.ROOT, "start %d stopped after %d iterations (small-EM): mean log-likelihood"
          + " %.8f is not among the best %d%n", s + 1, it, mean, keep);
    }

    @Override
    public void reseeded(int s, Reseed e) {
      progress.printf(Locale.ROOT, "%siter %3d  component %d collapsed (weight %.3g): re-seeded at the"
          + " worst-explained row (log-likelihood %.4g)%n", many ? "start " + (s + 1) + " " : "",
          e.iteration(), e.component(), e.weightBefore(), e.rowLogLikelihood());
    }
  }
}
