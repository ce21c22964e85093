package org.sparkgmm.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The criterion of model selection against k, one line per covariance type, as an SVG document. */
public final class CriterionChart {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 440;
  /** Distinct colours that stay readable on white (the default palette has a pale yellow). */
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

  private CriterionChart() {}

  /**
   * Draws the chart.
   *
   * @param criterion the criterion's name for the axis ("BIC")
   * @param series per covariance type, the (k, value) points in ascending k
   * @param chosen the selected candidate's label, for the title
   * @return a complete SVG document
   */
  public static String svg(String criterion, Map<String, List<double[]>> series, String chosen) {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries s = new XYSeries(name);
      for (double[] p : points) {
        s.add(p[0], p[1]);
      }
      data.addSeries(s);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(criterion + " by number of components (best: " + chosen + ")",
        "k (components)", criterion + " (lower is better)", data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      lines.setSeriesStroke(s, new BasicStroke(2.0f));
      lines.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
    }
    plot.setRenderer(lines);
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g.getSVGDocument();
  }
}
