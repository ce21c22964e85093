package org.sparkgmm.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.Projection;

/**
 * The report's charts, drawn with JFreeChart into SVG (JFreeSVG): inline {@code <svg>} elements
 * that scale with the page and need nothing online. Each chart gets its own id prefix, so several
 * can share one HTML document.
 */
public final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 440;
  /** Readable on white; past ten components, hues spaced by the golden angle. */
  private static final Color[] FIRST = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
      new Color(0x7f7f7f), new Color(0xbcbd22)};

  private Charts() {}

  /** Colour {@code i} of the palette shared by every chart (components, covariance types). */
  public static Color color(int i) {
    if (i < FIRST.length) {
      return FIRST[i];
    }
    return Color.getHSBColor((float) ((i * 0.6180339887) % 1.0), 0.75f, 0.8f);
  }

  /** Mean log-likelihood per iteration, one line per start, the chosen start drawn bold. */
  public static JFreeChart logLikelihood(List<List<Double>> histories, int best) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (int s = 0; s < histories.size(); s++) {
      XYSeries series = new XYSeries(histories.size() == 1 ? "mean log-likelihood"
          : "start " + (s + 1) + (s == best ? " (chosen)" : ""));
      List<Double> h = histories.get(s);
      for (int i = 0; i < h.size(); i++) {
        series.add(i + 1, h.get(i));
      }
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(null, "EM iteration", "mean log-likelihood per row", data,
        PlotOrientation.VERTICAL, histories.size() > 1 && histories.size() <= 10, false, false);
    XYPlot plot = plain(chart).getXYPlot();
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < histories.size(); s++) {
      lines.setSeriesPaint(s, s == best ? color(0) : new Color(0xb0b0b0));
      lines.setSeriesStroke(s, new BasicStroke(s == best ? 2.5f : 1.0f));
      lines.setSeriesShape(s, new Ellipse2D.Double(-3, -3, 6, 6));
    }
    plot.setRenderer(lines);
    return chart;
  }

  /** The mixing weights, one bar per component in its colour. */
  public static JFreeChart weights(double[] weights) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int c = 0; c < weights.length; c++) {
      data.addValue(weights[c], "weight", Integer.toString(c));
    }
    JFreeChart chart = ChartFactory.createBarChart(null, "component", "weight", data, PlotOrientation.VERTICAL,
        false, false, false);
    CategoryPlot plot = plain(chart).getCategoryPlot();
    BarRenderer bars = new BarRenderer() {
      private static final long serialVersionUID = 1L;

      @Override
      public Paint getItemPaint(int row, int column) {
        return color(column);
      }
    };
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setMaximumBarWidth(0.08);
    plot.setRenderer(bars);
    return chart;
  }

  /**
   * Rows projected on two directions, coloured by their most probable component, with each
   * component's projected 1-sigma (solid) and 2-sigma (dashed) ellipse and its index at the mean.
   *
   * @param rows the sampled rows (d values each)
   * @param components each row's most probable component
   */
  public static JFreeChart scatter(Mixture model, Projection view, double[][] rows, int[] components) {
    int k = model.components();
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries[] series = new XYSeries[k];
    for (int c = 0; c < k; c++) {
      series[c] = new XYSeries("component " + c, false, true);
      data.addSeries(series[c]);
    }
    Extent x = new Extent();
    Extent y = new Extent();
    for (int i = 0; i < rows.length; i++) {
      double[] p = view.point(rows[i]);
      series[components[i]].add(p[0], p[1]);
      x.add(p[0]);
      y.add(p[1]);
    }
    JFreeChart chart = ChartFactory.createScatterPlot(null, view.labels().get(0), view.labels().get(1), data,
        PlotOrientation.VERTICAL, k <= 12, false, false);
    XYPlot plot = plain(chart).getXYPlot();
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    BasicStroke solid = new BasicStroke(2.0f);
    BasicStroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
        0f);
    for (int c = 0; c < k; c++) {
      Color colour = color(c);
      dots.setSeriesPaint(c, new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 140));
      dots.setSeriesShape(c, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      double[] centre = view.center(model, c);
      double[] cov = view.covariance(model, c);
      plot.addAnnotation(new XYShapeAnnotation(outline(Projection.ellipse(centre, cov, 1, 73)), solid, colour));
      double[][] twoSigma = Projection.ellipse(centre, cov, 2, 97);
      plot.addAnnotation(new XYShapeAnnotation(outline(twoSigma), dashed, colour));
      XYTextAnnotation label = new XYTextAnnotation(Integer.toString(c), centre[0], centre[1]);
      label.setFont(label.getFont().deriveFont(java.awt.Font.BOLD, 14f));
      label.setPaint(Color.BLACK);
      plot.addAnnotation(label);
      for (double[] p : twoSigma) {
        x.add(p[0]);
        y.add(p[1]);
      }
    }
    plot.setRenderer(dots);
    // Every 2-sigma ellipse in view, even where few rows were drawn.
    x.apply(plot.getDomainAxis());
    y.apply(plot.getRangeAxis());
    return chart;
  }

  /**
   * One feature modelled by univariate families: a histogram of the sampled rows' values (as a
   * density: bar height = share of rows / bar width; discrete features one bar per value), each
   * component's weighted marginal density {@code w_c f_c(x)} in its colour and the mixture's
   * {@code sum_c w_c f_c(x)} in black.
   *
   * @param values the sampled rows' values of the feature
   * @param density {@code density[c]} maps x to component c's marginal density (pmf for discrete families)
   * @param discrete whether the feature takes integer values (one bar per value)
   * @param categoryLabels the labels of codes 0..L-1 when the feature was read from a string column, or null
   */
  public static JFreeChart marginal(String feature, double[] values, double[] weights,
      java.util.function.DoubleUnaryOperator[] density, boolean discrete, List<String> categoryLabels) {
    Extent range = new Extent();
    for (double v : values) {
      range.add(v);
    }
    XYSeriesCollection bars = new XYSeriesCollection();
    XYSeries hist = new XYSeries("data", true, true);
    double lo = range.lo;
    double hi = range.hi > range.lo ? range.hi : range.lo + 1.0;
    int bins;
    double width;
    if (discrete) {
      lo = Math.floor(lo) - 0.5;
      bins = (int) Math.min(200, Math.ceil(hi + 0.5 - lo));
      width = 1.0;
    } else {
      bins = Math.max(10, Math.min(60, (int) Math.sqrt(values.length)));
      width = (hi - lo) / bins;
    }
    double[] counts = new double[bins];
    for (double v : values) {
      int b = (int) Math.floor((v - lo) / width);
      if (b >= 0 && b < bins) {
        counts[b]++;
      } else if (b == bins) {
        counts[bins - 1]++;
      }
    }
    for (int b = 0; b < bins; b++) {
      hist.add(lo + (b + 0.5) * width, values.length == 0 ? 0.0 : counts[b] / (values.length * width));
    }
    bars.addSeries(hist);
    bars.setIntervalWidth(width);
    bars.setIntervalPositionFactor(0.5);
    JFreeChart chart = ChartFactory.createXYBarChart(null, feature, false, discrete ? "probability" : "density", bars,
        PlotOrientation.VERTICAL, density.length <= 12, false, false);
    XYPlot plot = plain(chart).getXYPlot();
    org.jfree.chart.renderer.xy.XYBarRenderer histogram = (org.jfree.chart.renderer.xy.XYBarRenderer) plot.getRenderer();
    histogram.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    histogram.setShadowVisible(false);
    histogram.setSeriesPaint(0, new Color(200, 200, 200));
    XYSeriesCollection curves = new XYSeriesCollection();
    XYSeries[] series = new XYSeries[density.length + 1];
    for (int c = 0; c < density.length; c++) {
      series[c] = new XYSeries("component " + c, false, true);
      curves.addSeries(series[c]);
    }
    series[density.length] = new XYSeries("mixture", false, true);
    curves.addSeries(series[density.length]);
    int points = discrete ? bins : 201;
    for (int q = 0; q < points; q++) {
      double x = discrete ? lo + 0.5 + q : lo + (hi - lo) * q / (points - 1);
      double total = 0.0;
      for (int c = 0; c < density.length; c++) {
        double v = weights[c] * density[c].applyAsDouble(x);
        v = Double.isFinite(v) ? v : 0.0;
        series[c].add(x, v);
        total += v;
      }
      series[density.length].add(x, total);
    }
    plot.setDataset(1, curves);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(!discrete, discrete);
    for (int c = 0; c < density.length; c++) {
      lines.setSeriesPaint(c, color(c));
      lines.setSeriesStroke(c, new BasicStroke(1.5f));
    }
    lines.setSeriesPaint(density.length, Color.BLACK);
    lines.setSeriesStroke(density.length, new BasicStroke(2.0f));
    plot.setRenderer(1, lines);
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    if (categoryLabels != null) {
      // Codes 0..L-1 of a string column: its labels on the axis.
      org.jfree.chart.axis.SymbolAxis axis = new org.jfree.chart.axis.SymbolAxis(feature,
          categoryLabels.toArray(new String[0]));
      axis.setGridBandsVisible(false);
      plot.setDomainAxis(axis);
    }
    return chart;
  }

  /** Smallest and largest of some values, as an axis range with a margin. */
  private static final class Extent {
    private double lo = Double.POSITIVE_INFINITY;
    private double hi = Double.NEGATIVE_INFINITY;

    void add(double v) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }

    void apply(org.jfree.chart.axis.ValueAxis axis) {
      if (lo < hi) {
        double pad = 0.04 * (hi - lo);
        axis.setRange(lo - pad, hi + pad);
      }
    }
  }

  /** Criterion versus k, one line per covariance type (select). */
  public static JFreeChart criterion(String criterion, Map<String, List<double[]>> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries s = new XYSeries(name);
      for (double[] p : points) {
        s.add(p[0], p[1]);
      }
      data.addSeries(s);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(null, "k (components)", criterion + " (lower is better)", data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = plain(chart).getXYPlot();
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      lines.setSeriesStroke(s, new BasicStroke(2.0f));
      lines.setSeriesPaint(s, color(s));
    }
    plot.setRenderer(lines);
    return chart;
  }

  private static Path2D outline(double[][] points) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(points[0][0], points[0][1]);
    for (int i = 1; i < points.length; i++) {
      p.lineTo(points[i][0], points[i][1]);
    }
    p.closePath();
    return p;
  }

  private static JFreeChart plain(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    var plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (plot instanceof CategoryPlot cat) {
      cat.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    return chart;
  }

  /** The chart as an inline {@code <svg>} element with this id, scaling to its container. */
  public static String inline(String id, JFreeChart chart) {
    SVGGraphics2D g = draw(chart, id + "-");
    return g.getSVGElement(id, false, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
  }

  /** The chart as a complete SVG document, titled. */
  public static String document(JFreeChart chart, String title) {
    chart.setTitle(title);
    return draw(chart, "chart-").getSVGDocument();
  }

  private static SVGGraphics2D draw(JFreeChart chart, String prefix) {
    System.setProperty("java.awt.headless", "true");
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    g.setDefsKeyPrefix(prefix);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g;
  }
}
