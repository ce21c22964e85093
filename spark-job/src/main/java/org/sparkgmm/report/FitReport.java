package org.sparkgmm.report;

import java.util.function.DoubleUnaryOperator;
import org.sparkgmm.component.Factor;
import org.sparkgmm.component.UnivariateFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.Posteriors;
import org.sparkgmm.model.Projection;

/**
 * The report of a fitted mixture ({@code OUT/report/index.html}): the run in numbers, the
 * log-likelihood per iteration, the weights, a 2-D view of sampled rows with every component's
 * 1- and 2-sigma ellipses (moment-matched for non-Gaussian parts), for features modelled by
 * univariate families a histogram with each component's fitted marginal, and the parameters as tables.
 */
public final class FitReport {
  /** Tables show at most this many features; model.json has them all. */
  static final int TABLE_FEATURES = 20;
  /** Full covariance matrices are printed up to this many features. */
  static final int MATRIX_FEATURES = 8;

  /**
   * What the report shows.
   *
   * @param starts every start's EM run (one for a single start)
   * @param best the index of the start whose model was kept
   * @param summary label/value pairs describing the run (input, rows, timings, ...)
   * @param sample rows to draw in the scatter (a bounded sample of the data; may be empty)
   * @param view the two directions to draw them on, or null when the model has one feature
   */
  public record Content(List<FitResult> starts, int best, List<List<String>> summary, double[][] sample,
      Projection view) {}

  private FitReport() {}

  /** The 2-D view: {@code features} when two are named, else the principal directions; null for d = 1. */
  public static Projection view(Mixture model, List<String> features) {
    if (features.size() == 2) {
      return Projection.features(model, features.get(0), features.get(1));
    }
    return model.dimension() >= 2 ? Projection.principal(model) : null;
  }

  /** The sections about one fitted model, appended to {@code page}. */
  public static ReportPage addModel(ReportPage page, Content c) {
    FitResult fit = c.starts().get(c.best());
    Mixture m = fit.model();
    page.table("The run", List.of("", "value"), c.summary());

    page.heading("Convergence");
    List<List<Double>> histories = new ArrayList<>();
    for (FitResult r : c.starts()) {
      histories.add(r.history());
    }
    page.chart("log-likelihood", String.format(Locale.ROOT, "Mean log-likelihood per row at each EM iteration%s;"
        + " %s after %d iterations, final %.6f.", c.starts().size() > 1 ? " for each of " + c.starts().size()
        + " starts (the chosen one in colour)" : "", fit.converged() ? "converged" : "not converged",
        fit.iterations(), fit.meanLogLikelihood()), Charts.logLikelihood(histories, c.best()));

    page.heading("Components");
    page.chart("weights", "Mixing weight of each component.", Charts.weights(m.weights()));
    double[][] complete = complete(c.sample());
    if (c.view() != null && complete.length > 0) {
      int[] assigned = assign(m, complete);
      page.chart("scatter", String.format(Locale.ROOT, "%d sampled rows%s on %s and %s, coloured by their most"
          + " probable component; solid and dashed outlines are each component's 1- and 2-sigma ellipses in"
          + " this view.", complete.length, complete.length < c.sample().length ? " (those without missing values)"
          : "", c.view().labels().get(0), c.view().labels().get(1)),
          Charts.scatter(m, c.view(), complete, assigned));
    } else if (m.dimension() < 2) {
      page.paragraph("One feature: no 2-D view.");
    }

    addFeatures(page, m, c.sample());

    page.heading("Parameters");
    int d = m.dimension();
    int shown = Math.min(d, TABLE_FEATURES);
    if (shown < d) {
      page.paragraph("The tables show the first " + shown + " of " + d + " features; model/model.json has them all.");
    }
    List<String> header = new ArrayList<>(List.of("component", "weight"));
    for (int j = 0; j < shown; j++) {
      header.add("mean " + m.features().get(j));
    }
    List<List<String>> rows = new ArrayList<>();
    double[][] means = m.means();
    for (int k = 0; k < m.components(); k++) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(k), number(m.weights()[k])));
      for (int j = 0; j < shown; j++) {
        row.add(number(means[k][j]));
      }
      rows.add(row);
    }
    page.table("Weights and means", header, rows);

    List<String> sdHeader = new ArrayList<>(List.of("component"));
    for (int j = 0; j < shown; j++) {
      sdHeader.add("sd " + m.features().get(j));
    }
    List<List<String>> sds = new ArrayList<>();
    for (int k = 0; k < m.components(); k++) {
      double[][] s = m.covariance(k);
      List<String> row = new ArrayList<>(List.of(Integer.toString(k)));
      for (int j = 0; j < shown; j++) {
        row.add(number(Math.sqrt(s[j][j])));
      }
      sds.add(row);
    }
    page.table("Standard deviations (" + m.describe() + ")", sdHeader, sds);

    if (d <= MATRIX_FEATURES && d > 1) {
      boolean tied = m.asGaussian().map(g -> g.covarianceType() == org.sparkgmm.distribution.CovarianceType.TIED)
          .orElse(false);
      for (int k = 0; k < (tied ? 1 : m.components()); k++) {
        double[][] s = m.covariance(k);
        List<String> h = new ArrayList<>(List.of(""));
        h.addAll(m.features());
        List<List<String>> matrix = new ArrayList<>();
        for (int a = 0; a < d; a++) {
          List<String> row = new ArrayList<>(List.of(m.features().get(a)));
          for (int b = 0; b < d; b++) {
            row.add(number(s[a][b]));
          }
          matrix.add(row);
        }
        page.table(tied ? "Covariance (shared by every component)" : "Covariance of component " + k, h, matrix);
      }
    }
    return page;
  }

  /**
   * Features modelled by univariate families (general mixtures): per feature, the data's histogram
   * with every component's fitted marginal and the mixture's, and a table of the families'
   * parameters. Features inside Gaussian blocks are shown by the ellipse view above.
   */
  private static void addFeatures(ReportPage page, Mixture m, double[][] sample) {
    if (m.asGaussian().isPresent()) {
      return;
    }
    page.heading("Features");
    int shown = 0;
    for (int j = 0; j < m.dimension() && shown < TABLE_FEATURES; j++) {
      Factor.Univariate[] factors = new Factor.Univariate[m.components()];
      for (int c = 0; c < m.components(); c++) {
        for (Factor f : m.component(c).factors()) {
          if (f instanceof Factor.Univariate u && u.feature() == j) {
            factors[c] = u;
          }
        }
      }
      if (java.util.Arrays.stream(factors).anyMatch(java.util.Objects::isNull)) {
        continue;
      }
      shown++;
      String name = m.features().get(j);
      final int feature = j;
      // A missing value (NaN) has no place in the histogram: the observed values of the feature.
      double[] values = java.util.Arrays.stream(sample).mapToDouble(r -> r[feature]).filter(v -> !Double.isNaN(v))
          .toArray();
      boolean discrete = true;
      DoubleUnaryOperator[] density = new DoubleUnaryOperator[factors.length];
      List<List<String>> rows = new ArrayList<>();
      for (int c = 0; c < factors.length; c++) {
        Factor.Univariate u = factors[c];
        UnivariateFamily f = u.family();
        discrete &= f == UnivariateFamily.POISSON || f == UnivariateFamily.BERNOULLI || f == UnivariateFamily.CATEGORICAL;
        double[] p = u.parameters();
        density[c] = x -> Math.exp(f.logDensity(p, x));
        String[] names = f.parameterNames();
        StringBuilder text = new StringBuilder();
        if (f == UnivariateFamily.CATEGORICAL) {
          text.append("probabilities ");
          for (int l = 0; l < p.length; l++) {
            text.append(l == 0 ? "" : ", ").append(number(p[l]));
          }
        } else {
          for (int q = 0; q < names.length; q++) {
            text.append(q == 0 ? "" : ", ").append(names[q]).append(' ').append(number(p[q]));
          }
        }
        rows.add(List.of(Integer.toString(c), f.externalName(), text.toString()));
      }
      page.chart("feature-" + j, "Feature " + name + ": the sampled rows' " + (discrete ? "frequencies" : "histogram")
          + ", each component's weighted fitted " + (discrete ? "probabilities" : "density") + " in its colour and"
          + " the mixture's in black.", Charts.marginal(name, values, m.weights(), density, discrete,
          m.categories().get(name)));
      page.table("Feature " + name, List.of("component", "family", "parameters"), rows);
    }
  }

  /** The rows without a missing (NaN) value. */
  static double[][] complete(double[][] rows) {
    return java.util.Arrays.stream(rows).filter(r -> java.util.Arrays.stream(r).noneMatch(Double::isNaN))
        .toArray(double[][]::new);
  }

  /** Each row's most probable component. */
  static int[] assign(Mixture m, double[][] rows) {
    Posteriors p = Posteriors.of(m);
    p.evaluate(RowBlock.fromRows(rows, null));
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = p.prediction(i);
    }
    return out;
  }

  /** Four significant digits, Locale.ROOT. */
  public static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
