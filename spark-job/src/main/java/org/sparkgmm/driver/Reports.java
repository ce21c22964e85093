package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.errors.UsageException;
import org.sparkgmm.init.SmallestPriorityRows;
import org.sparkgmm.io.MissingCounts;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.Projection;
import org.sparkgmm.report.FitReport;

/** The report's share of a fit or select: check its options early, sample rows in one pass, write the page. */
final class Reports {
  /** Rows drawn in the scatter: enough to see the shapes, small enough for a light page. */
  static final int SAMPLE_ROWS = 2000;
  /** Where the page goes inside the output directory. */
  static final String FILE = "report/index.html";

  private Reports() {}

  /**
   * Refuses --report-features that the data do not have, before any pass over them.
   *
   * @throws UsageException naming the feature and the ones there are
   */
  static void checkFeatures(FitConfig c, TrainingData data) {
    for (String f : c.reportFeatures()) {
      if (!data.schema().names().contains(f)) {
        throw new UsageException("--report-features " + f + " is not a feature of the fit; its features are "
            + data.schema().names());
      }
    }
  }

  /** The 2-D view of a model and the rows to draw on it. */
  record View(Projection projection, double[][] rows) {}

  /**
   * The view of the final model (--report-features, else its principal directions) and a bounded
   * sample of rows that does not depend on partitioning (one pass; a general mixture always takes it,
   * for its features' histograms); no view and no pass for a Gaussian mixture of one feature.
   */
  static View view(FitConfig c, DataPass pass, Mixture model) {
    Projection projection = FitReport.view(model, c.reportFeatures());
    double[][] rows = projection == null && model.asGaussian().isPresent() ? new double[0][]
        : pass.run("report: sample of rows", new SmallestPriorityRows(SAMPLE_ROWS, c.seed())).rows();
    return new View(projection, rows);
  }

  /** The page's content for the chosen start of {@code starts}. */
  static FitReport.Content content(View view, List<FitResult> starts, int best, List<List<String>> summary) {
    return new FitReport.Content(starts, best, summary, view.rows(), view.projection());
  }

  /** The run in numbers, for the report's first table. */
  static List<List<String>> summary(FitConfig c, TrainingData data, FitResult fit, int passes, double seconds,
      String master) {
    Mixture m = fit.model();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("input", c.input()));
    rows.add(List.of("rows used", Long.toString(data.rows())));
    rows.add(List.of("rows skipped (invalid)", Long.toString(data.skipped())));
    MissingCounts holes = data.missing();
    if (c.missing() == MissingValues.MARGINALIZE) {
      rows.add(List.of("missing values (marginalised)", holes.incompleteRows() + " rows miss some feature, "
          + holes.totalCells() + " cells; " + holes.allMissingRows() + " rows miss every feature (left out)"));
      List<String> names = data.schema().names();
      for (int j = 0; j < names.size(); j++) {
        if (holes.cells()[j] > 0) {
          rows.add(List.of("missing in " + names.get(j), String.format(Locale.ROOT, "%d rows (%.1f%%)",
              holes.cells()[j], 100.0 * holes.cells()[j] / data.rows())));
        }
      }
    }
    rows.add(List.of("features", m.dimension() + ": " + String.join(", ", m.features().subList(0,
        Math.min(m.dimension(), 30))) + (m.dimension() > 30 ? ", ..." : "")));
    rows.add(List.of("components", m.components() + " (" + m.describe() + ")"));
    rows.add(List.of("converged", fit.converged() + " after " + fit.iterations() + " iterations (tol " + c.tol()
        + ", max " + c.maxIter() + ")"));
    rows.add(List.of("log-likelihood", FitReport.number(fit.logLikelihood())
        + String.format(Locale.ROOT, " (mean %.6f per row)", fit.meanLogLikelihood())));
    rows.add(List.of("parameters", Long.toString(m.parameterCount())));
    rows.add(List.of("passes over the data", Integer.toString(passes)));
    rows.add(List.of("seconds", String.format(Locale.ROOT, "%.1f", seconds)));
    rows.add(List.of("Spark master", master));
    return rows;
  }

  /**
   * Writes the page. Drawing needs fonts: on a machine without any, the report is left out with a
   * warning line rather than failing a fit whose model is fine.
   */
  static void write(OutputDirectory out, Supplier<String> page, PrintWriter progress, String command)
      throws IOException {
    String html;
    try {
      html = page.get();
    } catch (RuntimeException | LinkageError e) {
      progress.println(command + ": warning: could not draw the report (" + e + "); install fontconfig and a font"
          + " (e.g. fonts-dejavu-core)");
      return;
    }
    out.write(FILE, html);
  }
}
