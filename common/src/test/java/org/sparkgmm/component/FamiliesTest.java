package org.sparkgmm.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.sparkgmm.testing.Tolerances.CLOSED_FORM;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.data.RowBlock;

/**
 * Every univariate family against scipy (fixtures from {@code families/make_family_reference.py}):
 * the log density on a grid including the edges of the support, directly and through the part's
 * GEMM kernel; the weighted M-step against the weighted maximum-likelihood estimate scipy.optimize
 * finds; merged statistics of a split against the whole; integer weights against duplicated rows.
 */
class FamiliesTest {
  /** scipy.optimize's weighted MLE is run to ~1e-14; our closed forms and Newton steps are exact. */
  private static final double MLE = 1e-8;

  record Case(String name, UnivariateFamily family, double[] parameters, double[] grid, double[] logDensity,
      double[] sample, double[] weights, double[] mle) {
    @Override
    public String toString() {
      return name + java.util.Arrays.toString(parameters);
    }
  }

  static Stream<Case> cases() throws IOException {
    try (InputStream in = FamiliesTest.class.getResourceAsStream("/families/families.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<Case> out = new ArrayList<>();
      for (JsonNode c : root.get("cases")) {
        out.add(new Case(c.get("family").asText(), UnivariateFamily.fromName(c.get("family").asText()),
            vector(c.get("parameters")), vector(c.get("grid")), vector(c.get("log_density")), vector(c.get("sample")),
            vector(c.get("weights")), vector(c.get("mle"))));
      }
      return out.stream();
    }
  }

  private static double[] vector(JsonNode n) {
    double[] v = new double[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = n.get(i).asDouble();
    }
    return v;
  }

  private static void assertRel(double actual, double expected, double rel, String what) {
    if (!(Math.abs(actual - expected) <= rel * Math.abs(expected)) && actual != expected) {
      fail("%s: expected %s, got %s (relative error %.3g, allowed %.3g)", what, expected, actual,
          Math.abs(actual - expected) / Math.abs(expected), rel);
    }
  }

  private static IndependentPart part(UnivariateFamily f, double[]... perComponent) {
    double[][][] p = new double[perComponent.length][1][];
    for (int c = 0; c < perComponent.length; c++) {
      p[c][0] = perComponent[c];
    }
    return IndependentPart.of(new int[] {0}, new UnivariateFamily[] {f}, p);
  }

  private static RowBlock column(double[] x, double[] w) {
    return RowBlock.of(x.length, 1, x.clone(), w == null ? null : w.clone());
  }

  private static double[] ones(int n) {
    double[] r = new double[n];
    java.util.Arrays.fill(r, 1.0);
    return r;
  }

  private static Estimation estimation(int k) {
    return new Estimation(Regularisation.absolute(0.0), EnumSet.allOf(Parameter.class), new boolean[k], new double[k][], 0.0);
  }

  /** One M-step (Student-t: M-steps until the ECME fixed point) from the case's parameters. */
  private static double[] estimate(Case c, List<RowBlock> blocks) {
    IndependentPart p = part(c.family(), c.parameters());
    for (int it = 0; it < (c.family() == UnivariateFamily.STUDENT_T ? 5000 : 1); it++) {
      PartStatistics s = p.emptyStatistics();
      for (RowBlock b : blocks) {
        s.add(b, ones(b.rows()));
      }
      IndependentPart next = (IndependentPart) p.estimate(s, estimation(1));
      boolean settled = java.util.Arrays.equals(next.parameters(0, 0), p.parameters(0, 0));
      p = next;
      if (settled) {
        break;
      }
    }
    return p.parameters(0, 0);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void logDensityEqualsScipyOnTheGrid(Case c) {
    double[] kernel = new double[c.grid().length];
    IndependentPart p = part(c.family(), c.parameters());
    p.logDensities(column(c.grid(), null), kernel, new double[p.scratchSize(c.grid().length)]);
    for (int i = 0; i < c.grid().length; i++) {
      assertRel(c.family().logDensity(c.parameters(), c.grid()[i]), c.logDensity()[i], CLOSED_FORM,
          c + " logDensity(" + c.grid()[i] + ")");
      assertRel(kernel[i], c.logDensity()[i], CLOSED_FORM, c + " kernel at " + c.grid()[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void weightedMStepIsTheWeightedMaximumLikelihoodEstimate(Case c) {
    double[] got = estimate(c, List.of(column(c.sample(), c.weights())));
    assertThat(got).hasSameSizeAs(c.mle());
    for (int q = 0; q < got.length; q++) {
      assertRel(got[q], c.mle()[q], MLE, c + " parameter " + q);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void mergedStatisticsOfASplitEqualTheWhole(Case c) {
    double[] x = c.sample();
    double[] w = c.weights();
    List<RowBlock> parts = List.of(column(java.util.Arrays.copyOfRange(x, 0, 7), java.util.Arrays.copyOfRange(w, 0, 7)),
        column(java.util.Arrays.copyOfRange(x, 7, 150), java.util.Arrays.copyOfRange(w, 7, 150)),
        column(java.util.Arrays.copyOfRange(x, 150, x.length), java.util.Arrays.copyOfRange(w, 150, w.length)));
    IndependentPart p = part(c.family(), c.parameters());
    PartStatistics merged = p.emptyStatistics();
    for (RowBlock b : parts) {
      PartStatistics one = p.emptyStatistics();
      one.add(b, ones(b.rows()));
      merged = merged.merge(one);
    }
    PartStatistics whole = p.emptyStatistics();
    whole.add(column(x, w), ones(x.length));
    double[] a = ((IndependentPart) p.estimate(merged, estimation(1))).parameters(0, 0);
    double[] e = ((IndependentPart) p.estimate(whole, estimation(1))).parameters(0, 0);
    for (int q = 0; q < e.length; q++) {
      assertRel(a[q], e[q], CLOSED_FORM, c + " merged parameter " + q);
    }
    assertRel(merged.mass(0), whole.mass(0), CLOSED_FORM, c + " mass");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void integerWeightsEqualDuplicatedRows(Case c) {
    double[] x = c.sample();
    double[] w = new double[x.length];
    List<Double> duplicated = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      w[i] = i % 4;
      for (int r = 0; r < w[i]; r++) {
        duplicated.add(x[i]);
      }
    }
    double[] d = duplicated.stream().mapToDouble(Double::doubleValue).toArray();
    double[] weighted = estimate(c, List.of(column(x, w)));
    double[] copies = estimate(c, List.of(column(d, null)));
    for (int q = 0; q < copies.length; q++) {
      assertRel(weighted[q], copies[q], c.family() == UnivariateFamily.STUDENT_T ? 1e-9 : CLOSED_FORM,
          c + " parameter " + q);
    }
  }
}
