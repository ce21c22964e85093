package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.report.Charts;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.Launcher;

/**
 * The HTML report, opened in headless Chromium (Debian's chromium) as a person would: every chart
 * laid out with a drawing in it (the page's own check, read from the DOM after load), and the
 * components' colours really on screen (a screenshot).
 */
class ReportIT {
  private static final Path IRIS = Launcher.ROOT.resolve("conf/examples/iris.parquet");
  private static final Path FAITHFUL = Launcher.ROOT.resolve("conf/examples/faithful.csv");

  @TempDir
  Path tmp;

  /** The DOM after the page loaded and its script ran. */
  private String dom(Path html) {
    return Launcher.run(tmp.resolve("chromium"), Map.of(), List.of("chromium", "--headless", "--no-sandbox",
        "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", html.toUri().toString())).ok().stdout();
  }

  private BufferedImage screenshot(Path html) throws IOException {
    Path png = tmp.resolve("report.png");
    Launcher.run(tmp.resolve("chromium"), Map.of(), List.of("chromium", "--headless", "--no-sandbox",
        "--disable-gpu", "--hide-scrollbars", "--window-size=1100,3200", "--screenshot=" + png,
        html.toUri().toString())).ok();
    return ImageIO.read(png.toFile());
  }

  private static String attribute(String dom, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
    return m.find() ? m.group(1) : "(missing)";
  }

  private static long pixelsNear(BufferedImage img, Color c) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int dr = ((rgb >> 16) & 0xff) - c.getRed();
        int dg = ((rgb >> 8) & 0xff) - c.getGreen();
        int db = (rgb & 0xff) - c.getBlue();
        if (dr * dr + dg * dg + db * db < 30 * 30) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void fitReportRendersEveryChartOffline() throws IOException {
    Path out = tmp.resolve("iris");
    Gmm.run("fit", "--input", IRIS.toString(), "--k", "3", "--output", out.toString()).ok();
    Path html = out.resolve("report/index.html");
    String page = Files.readString(html);
    assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("@import")
        .contains("PC1 (", "petal_length", "Covariance of component 2");

    String dom = dom(html);
    assertThat(attribute(dom, "data-charts-rendered")).isEqualTo("3/3");
    for (String id : List.of("log-likelihood", "weights", "scatter")) {
      assertThat(dom).containsPattern("<figure class=\"chart\" id=\"figure-" + id + "\" data-rendered=\"true\">");
    }

    BufferedImage shot = screenshot(html);
    for (int c = 0; c < 3; c++) {
      assertThat(pixelsNear(shot, Charts.color(c))).as("pixels in component %d's colour", c).isGreaterThan(2000);
    }
  }

  /**
   * Column names and labels written as HTML reach the page as text (the names on the scatter's
   * axes; the labels are not shown): in headless Chromium no markup of theirs becomes an element and
   * no handler of theirs runs (it would set an id of 9 or 8).
   */
  @Test
  void htmlInColumnNamesAndLabelsIsInertText() throws IOException {
    String x = "<img src=x onerror=id=9>";
    String y = "<b>bold</b>";
    List<String> lines = new java.util.ArrayList<>(List.of(x + "," + y + ",klass"));
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    for (int i = 0; i < 200; i++) {
      boolean second = i % 2 == 1;
      lines.add(((second ? 5 : 0) + r.nextGaussian()) + "," + ((second ? 3 : 0) + r.nextGaussian()) + ","
          + (second ? "<img src=y onerror=id=8>" : "<i>one</i>"));
    }
    Path data = Files.write(tmp.resolve("html.csv"), lines);
    Path out = tmp.resolve("html");
    Gmm.run("fit", "--input", data.toString(), "--label-col", "klass", "--report-features", x + "," + y, "--output",
        out.toString()).ok();
    String page = Files.readString(out.resolve("report/index.html"));
    assertThat(page).doesNotContain(x, y, "<i>one</i>", "<img src=y").contains("&lt;img src=x onerror=id=9&gt;");

    String dom = dom(out.resolve("report/index.html"));
    assertThat(attribute(dom, "data-charts-rendered")).as("the page's own script ran").isNotEqualTo("(missing)");
    assertThat(dom).doesNotContain("<img", "<b>bold", "<i>one").doesNotContainPattern("id=\"[98]\"")
        .contains("&lt;img src=x onerror=id=9&gt;", "&lt;b&gt;bold&lt;/b&gt;");
  }

  @Test
  void chosenFeaturesOneFeatureAndNoReport() {
    Path chosen = tmp.resolve("chosen");
    Gmm.run("fit", "--input", IRIS.toString(), "--k", "3", "--report-features", "petal_length,sepal_width",
        "--output", chosen.toString()).ok();
    String dom = dom(chosen.resolve("report/index.html"));
    assertThat(attribute(dom, "data-charts-rendered")).isEqualTo("3/3");
    assertThat(dom).contains("rows on petal_length and sepal_width").doesNotContain("PC1 (");

    Path one = tmp.resolve("one");
    Gmm.run("fit", "--input", FAITHFUL.toString(), "--features", "waiting", "--k", "2", "--output", one.toString())
        .ok();
    String single = dom(one.resolve("report/index.html"));
    assertThat(attribute(single, "data-charts-rendered")).isEqualTo("2/2");
    assertThat(single).contains("One feature: no 2-D view.");

    Path none = tmp.resolve("none");
    Gmm.run("fit", "--input", FAITHFUL.toString(), "--k", "2", "--no-report", "--output", none.toString()).ok();
    assertThat(none.resolve("_SUCCESS")).exists();
    assertThat(none.resolve("report")).doesNotExist();
  }

  @Test
  void unknownReportFeatureIsAUsageErrorBeforeAnyWork() {
    Path out = tmp.resolve("bad");
    Gmm.Run run = Gmm.run("fit", "--input", IRIS.toString(), "--k", "3", "--report-features", "petal_length,colour",
        "--output", out.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("gmm: --report-features colour is not a feature of the fit; its features are"
        + " [sepal_length, sepal_width, petal_length, petal_width]").doesNotContain("iter ");
    assertThat(out).doesNotExist();
    Gmm.Run three = Gmm.run("fit", "--input", IRIS.toString(), "--k", "3", "--report-features", "a,b,c",
        "--output", out.toString());
    assertThat(three.status()).isEqualTo(2);
    assertThat(three.err()).contains("--report-features takes two features");
  }

  @Test
  void selectReportAddsTheCriterionChart() {
    Path out = tmp.resolve("select");
    Gmm.run("select", "--input", FAITHFUL.toString(), "--k", "1..4", "--covariance", "full,diag",
        "--output", out.toString()).ok();
    String dom = dom(out.resolve("report/index.html"));
    assertThat(attribute(dom, "data-charts-rendered")).isEqualTo("4/4");
    assertThat(dom).containsPattern("<figure class=\"chart\" id=\"figure-criterion\" data-rendered=\"true\">")
        .contains("Candidates", "k=4 diag", "The chosen model: k=");
  }
}
