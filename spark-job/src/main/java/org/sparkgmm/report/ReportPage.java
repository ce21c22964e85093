package org.sparkgmm.report;

import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * One self-contained HTML page: inline CSS, charts as inline SVG, no script or font from the
 * network, so it opens offline and survives being mailed around. A small inline script marks each
 * chart that the browser laid out with a non-empty drawing ({@code data-rendered}) and sums them
 * up on {@code <body data-charts-rendered="N/M">}, for a headless browser to check.
 */
public final class ReportPage {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  /** A page with this title (also its first heading). */
  public ReportPage(String title) {
    this.title = title;
  }

  /** A section heading. */
  public ReportPage heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  /** A paragraph of plain text. */
  public ReportPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A chart with a caption, drawn inline. */
  public ReportPage chart(String id, String caption, JFreeChart chart) {
    body.append("<figure class=\"chart\" id=\"figure-").append(id).append("\">\n")
        .append(Charts.inline(id, chart)).append("\n<figcaption>").append(escape(caption))
        .append("</figcaption>\n</figure>\n");
    return this;
  }

  /** A table with a caption; the first column is a row header. */
  public ReportPage table(String caption, List<String> header, List<List<String>> rows) {
    body.append("<table>\n<caption>").append(escape(caption)).append("</caption>\n<thead><tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        String tag = i == 0 ? "th" : "td";
        body.append('<').append(tag).append('>').append(escape(row.get(i))).append("</").append(tag).append('>');
      }
      body.append("</tr>\n");
    }
    body.append("</tbody>\n</table>\n");
    return this;
  }

  /** The whole document. */
  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
        + "</title>\n<style>\n"
        + "body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;"
        + "color:#222}\n"
        + "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}\n"
        + "figure.chart{margin:1rem 0}figure.chart svg{width:100%;height:auto;max-width:720px;display:block}\n"
        + "figcaption{color:#555;font-size:.9rem}\n"
        + "table{border-collapse:collapse;margin:1rem 0;font-size:.85rem;display:block;overflow-x:auto}\n"
        + "caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
        + "th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;font-variant-numeric:tabular-nums}\n"
        + "thead th{background:#f3f3f3}tbody th{text-align:left;background:#fafafa}\n"
        + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
        + "<script>\n"
        + "window.addEventListener('load', function () {\n"
        + "  var figures = document.querySelectorAll('figure.chart'), drawn = 0;\n"
        + "  figures.forEach(function (f) {\n"
        + "    var svg = f.querySelector('svg'); if (!svg) return;\n"
        + "    var box = svg.getBoundingClientRect();\n"
        + "    var marks = svg.querySelectorAll('path,rect,line,polyline,polygon,circle,ellipse,text').length;\n"
        + "    if (box.width > 0 && box.height > 0 && marks > 0) { f.dataset.rendered = 'true'; drawn++; }\n"
        + "  });\n"
        + "  document.body.dataset.chartsRendered = drawn + '/' + figures.length;\n"
        + "});\n"
        + "</script>\n</body>\n</html>\n";
  }

  /** Text made safe for HTML. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
