package org.sparkgmm.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.sparkgmm.component.Factor.bernoulli;
import static org.sparkgmm.component.Factor.categorical;
import static org.sparkgmm.component.Factor.exponential;
import static org.sparkgmm.component.Factor.gamma;
import static org.sparkgmm.component.Factor.logNormal;
import static org.sparkgmm.component.Factor.normal;
import static org.sparkgmm.component.Factor.poisson;
import static org.sparkgmm.component.Factor.studentT;
import static org.sparkgmm.component.Factor.uniform;
import static org.sparkgmm.testing.Tolerances.CLOSED_FORM;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.em.MixtureFit;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.LocalPass;

/**
 * General mixtures end to end in {@code common}: building, scoring, sampling and fitting with the
 * in-memory API, through the same start and EM code as Spark.
 */
class GeneralMixtureTest {
  private static final List<String> NEL = List.of("x", "y", "z");

  /**
   * pomegranate's two-component example (its documentation's d1, d2): (Normal, Exponential, LogNormal)
   * products, weights 0.66/0.34; pomegranate's Normal(5, 2) and LogNormal(0.4, 0.1) take standard
   * deviations, ours variances.
   */
  static Mixture pomegranateExample() {
    return Mixture.ofComponents(new double[] {0.66, 0.34}, List.of(
        Component.of(normal(5, 4), exponential(1), logNormal(0.4, 0.01)),
        Component.of(normal(3, 1), exponential(2), logNormal(0.8, 0.04))), NEL);
  }

  /** Compares two mixtures' components parameter by parameter. */
  private static void assertSameComponents(Mixture actual, Mixture expected, double rel) {
    assertRelClose(actual.weights(), expected.weights(), rel, "weights");
    for (int c = 0; c < expected.components(); c++) {
      List<Factor> a = actual.component(c).factors();
      List<Factor> e = expected.component(c).factors();
      assertThat(a).hasSameSizeAs(e);
      for (int f = 0; f < e.size(); f++) {
        if (e.get(f) instanceof Factor.Univariate u) {
          assertRelClose(((Factor.Univariate) a.get(f)).parameters(), u.parameters(), rel, "component " + c + " " + u);
        } else {
          Factor.GaussianBlock g = (Factor.GaussianBlock) e.get(f);
          assertRelClose(((Factor.GaussianBlock) a.get(f)).mean(), g.mean(), rel, "component " + c + " mean");
          assertRelClose(((Factor.GaussianBlock) a.get(f)).covariance(), g.covariance(), rel, "component " + c + " cov");
        }
      }
    }
  }

  /** Every parameter within {@code rel} of the truth, with the fitted components matched to the true ones by mean. */
  private static int[] assertRecovered(Mixture fitted, Mixture truth, double rel) {
    int k = truth.components();
    int[] match = new int[k];
    boolean[] used = new boolean[k];
    for (int c = 0; c < k; c++) {
      double best = Double.POSITIVE_INFINITY;
      for (int f = 0; f < k; f++) {
        double dist = 0.0;
        for (int j = 0; j < truth.dimension(); j++) {
          double z = (fitted.mean(f)[j] - truth.mean(c)[j]) / Math.sqrt(truth.covariance(c)[j][j]);
          dist += z * z;
        }
        if (!used[f] && dist < best) {
          best = dist;
          match[c] = f;
        }
      }
      used[match[c]] = true;
    }
    for (int c = 0; c < k; c++) {
      Component t = truth.component(c);
      Component f = fitted.component(match[c]);
      assertThat(fitted.weights()[match[c]]).as("weight " + c).isCloseTo(truth.weights()[c],
          within(rel * truth.weights()[c]));
      for (int q = 0; q < t.factors().size(); q++) {
        double[] tv;
        double[] fv;
        // Locations are compared on the scale of their component's spread (a true mean of 0 has no
        // relative error): within rel times max(|location|, standard deviation).
        int locations;
        double[] spread;
        if (t.factors().get(q) instanceof Factor.Univariate u) {
          tv = u.parameters();
          fv = ((Factor.Univariate) f.factors().get(q)).parameters();
          locations = u.family().locationScale() ? 1 : 0;
          spread = new double[] {u.family() == UnivariateFamily.STUDENT_T ? tv[1] : Math.sqrt(tv[tv.length > 1 ? 1 : 0])};
        } else {
          Factor.GaussianBlock g = (Factor.GaussianBlock) t.factors().get(q);
          Factor.GaussianBlock h = (Factor.GaussianBlock) f.factors().get(q);
          tv = concat(g.mean(), diagonal(g.covariance(), g.features().length));
          fv = concat(h.mean(), diagonal(h.covariance(), h.features().length));
          locations = g.features().length;
          spread = java.util.Arrays.stream(diagonal(g.covariance(), locations)).map(Math::sqrt).toArray();
        }
        for (int i = 0; i < tv.length; i++) {
          double scale = i < locations ? Math.max(Math.abs(tv[i]), spread[i]) : Math.abs(tv[i]);
          assertThat(fv[i]).as("component " + c + " factor " + q + " parameter " + i)
              .isCloseTo(tv[i], within(rel * scale));
        }
      }
    }
    return match;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double[] diagonal(double[] cov, int p) {
    double[] d = new double[p];
    for (int j = 0; j < p; j++) {
      d[j] = cov[j * p + j];
    }
    return d;
  }

  private static double accuracy(Mixture fitted, double[][] rows, int[] truthLabels, int[] match) {
    int[] predicted = fitted.predict(rows);
    int right = 0;
    for (int i = 0; i < rows.length; i++) {
      right += predicted[i] == match[truthLabels[i]] ? 1 : 0;
    }
    return (double) right / rows.length;
  }

  /** Rows and their true components, drawn from {@code truth} (row i from its own generator). */
  private record Sample(double[][] rows, int[] labels) {}

  private static Sample draw(Mixture truth, int n, long seed) {
    org.sparkgmm.model.MixtureSampler s = org.sparkgmm.model.MixtureSampler.of(truth);
    double[][] rows = new double[n][truth.dimension()];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = s.draw(seed, i, rows[i]);
    }
    return new Sample(rows, labels);
  }

  @Test
  void threeComponentProductsOf300kRowsAreRecoveredByTheDefaultStart() {
    Mixture truth = Mixture.ofComponents(new double[] {0.5, 0.3, 0.2}, List.of(
        Component.of(normal(0, 1), exponential(1), logNormal(0, 0.04)),
        Component.of(normal(6, 2), exponential(0.2), logNormal(1, 0.01)),
        Component.of(normal(-5, 0.5), exponential(5), logNormal(2, 0.09))), NEL);
    Sample s = draw(truth, 300_000, 11);
    ComponentSpec spec = ComponentSpec.parse("x:normal,y:exponential,z:lognormal");
    FitResult fit = MixtureFit.fromSamples(spec, s.rows(), null, MixtureFit.Settings.defaults(3), MixtureFit.silent());
    assertThat(fit.converged()).isTrue();
    int[] match = assertRecovered(fit.model(), truth, 0.05);
    assertThat(accuracy(fit.model(), s.rows(), s.labels(), match)).isGreaterThan(0.98);
  }

  @Test
  void pomegranatesExampleIsRecoveredFrom100kSampledRows() {
    Mixture truth = pomegranateExample();
    double[][] rows = truth.sample(100_000, 3);
    FitResult fit = MixtureFit.fromSamples(ComponentSpec.parse("x:normal,y:exponential,z:lognormal"), rows, null,
        MixtureFit.Settings.defaults(2), MixtureFit.silent());
    assertRecovered(fit.model(), truth, 0.05);
  }

  @Test
  void fullGaussianBlockWithPoissonAndCategoricalIsRecovered() {
    double[][] cov0 = {{1.0, 0.6, 0.0}, {0.6, 1.0, 0.3}, {0.0, 0.3, 2.0}};
    double[][] cov1 = {{0.5, -0.2, 0.1}, {-0.2, 1.5, 0.0}, {0.1, 0.0, 0.7}};
    Mixture truth = Mixture.ofComponents(new double[] {0.55, 0.45}, List.of(
        Component.of(Factor.gaussian(new double[] {0, 0, 0}, cov0), poisson(2.0), categorical(0.7, 0.2, 0.1)),
        Component.of(Factor.gaussian(new double[] {3, 3, 1}, cov1), poisson(9.0), categorical(0.1, 0.3, 0.6))),
        List.of("a", "b", "c", "d", "e"));
    Sample s = draw(truth, 60_000, 5);
    ComponentSpec spec = ComponentSpec.parse("(a,b,c):full,d:poisson,e:categorical");
    assertThat(spec.format()).isEqualTo("(a,b,c):full,d:poisson,e:categorical");
    FitResult fit = MixtureFit.fromSamples(spec, s.rows(), null, MixtureFit.Settings.defaults(2), MixtureFit.silent());
    int[] match = assertRecovered(fit.model(), truth, 0.05);
    double[][] fittedCov = fit.model().covariance(match[0]);
    assertThat(fittedCov[0][1]).isCloseTo(0.6, within(0.05));
    assertThat(fittedCov[1][2]).isCloseTo(0.3, within(0.05));
    assertThat(accuracy(fit.model(), s.rows(), s.labels(), match)).isGreaterThan(0.97);
    Mixture back = ModelJson.read(ModelJson.write(fit.model()), "test");
    assertSameComponents(back, fit.model(), 0.0);
  }

  /** The seed's first example: three 3-D Gaussians with weights 0.25/0.60/0.15, used as given. */
  @Test
  void givenGaussiansScoreAndPredictAsTheirDensities() {
    // pomegranate's documentation example, with correlations added to the first two so that the
    // full covariance path is exercised too.
    double[][] means = {{1, 6, 3}, {2, 8, 4}, {0, 4, 8}};
    double[][][] covs = {{{1, 0.3, 0}, {0.3, 1, 0}, {0, 0, 1}}, {{1, 0, 0.5}, {0, 1, 0}, {0.5, 0, 2}},
        {{2, 0, 0}, {0, 3, 0}, {0, 0, 1}}};
    double[] w = {0.25, 0.60, 0.15};
    List<Component> components = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      components.add(Component.of(Factor.gaussian(means[c], covs[c])));
    }
    Mixture m = Mixture.ofComponents(w, components, List.of("a", "b", "c"));
    assertThat(m.asGaussian()).isPresent();
    double[][] rows = {{1, 6, 3}, {2, 8, 4}, {0, 4, 8}, {1, 2, 3}, {40, -40, 10}};
    double[] lp = m.logProbability(rows);
    double[][] post = m.predictProba(rows);
    for (int i = 0; i < rows.length; i++) {
      double[] joint = new double[3];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 3; c++) {
        joint[c] = Math.log(w[c]) + logNormal3(rows[i], means[c], covs[c]);
        max = Math.max(max, joint[c]);
      }
      double sum = 0.0;
      for (double j : joint) {
        sum += Math.exp(j - max);
      }
      double expected = max + Math.log(sum);
      assertThat(lp[i]).isCloseTo(expected, within(1e-10 * Math.max(1.0, Math.abs(expected))));
      for (int c = 0; c < 3; c++) {
        assertThat(post[i][c]).isCloseTo(Math.exp(joint[c] - expected), within(1e-12));
      }
    }
    // The far row underflows every density, yet its log-likelihood and posteriors stay finite.
    assertThat(lp[4]).isLessThan(-500).isFinite();
    assertThat(m.predict(rows)).startsWith(0, 1, 2);
  }

  /** log N(x; mu, S) for 3-D by the adjugate, independent of the library's Cholesky kernels. */
  private static double logNormal3(double[] x, double[] mu, double[][] s) {
    double det = s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) - s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0])
        + s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
    double[][] inv = new double[3][3];
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        int a1 = (b + 1) % 3;
        int a2 = (b + 2) % 3;
        int b1 = (a + 1) % 3;
        int b2 = (a + 2) % 3;
        inv[a][b] = (s[a1][b1] * s[a2][b2] - s[a1][b2] * s[a2][b1]) / det;
      }
    }
    double q = 0.0;
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        q += (x[a] - mu[a]) * inv[a][b] * (x[b] - mu[b]);
      }
    }
    return -1.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
  }

  /** Every family in one part, two components, fitted from a fixed start over 1, 2 and 7 partitions. */
  @Test
  void oneTwoAndSevenPartitionsGiveTheSameModel() {
    List<String> names = List.of("n", "l", "e", "g", "p", "b", "c", "u", "t");
    Mixture truth = Mixture.ofComponents(new double[] {0.6, 0.4}, List.of(
        Component.of(normal(0, 1), logNormal(0, 0.25), exponential(1), gamma(2, 1), poisson(3), bernoulli(0.2),
            categorical(0.5, 0.3, 0.2), uniform(0, 1), studentT(0, 1, 5)),
        Component.of(normal(4, 2), logNormal(1, 0.25), exponential(0.3), gamma(5, 1), poisson(10), bernoulli(0.7),
            categorical(0.1, 0.2, 0.7), uniform(0.5, 2), studentT(5, 2, 3))), names);
    double[][] rows = truth.sample(6000, 9);
    Mixture start = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(
        Component.of(normal(1, 2), logNormal(0.2, 0.5), exponential(0.8), gamma(1.5, 0.8), poisson(4), bernoulli(0.3),
            categorical(0.4, 0.3, 0.3), uniform(0, 1), studentT(1, 1.5, 8)),
        Component.of(normal(3, 2), logNormal(0.8, 0.5), exponential(0.4), gamma(4, 0.9), poisson(8), bernoulli(0.6),
            categorical(0.2, 0.3, 0.5), uniform(0, 2), studentT(4, 1.5, 8))), names);
    List<RowBlock> blocks = new ArrayList<>();
    for (int b = 0; b < 6000; b += 500) {
      blocks.add(RowBlock.fromRows(java.util.Arrays.copyOfRange(rows, b, b + 500), null));
    }
    EmOptions options = new EmOptions(15, 0.0, 1e-6);
    ExpectationMaximization.Listener quiet = MixtureFit.silent();
    Mixture one = ExpectationMaximization.fit(start, options, LocalPass.of(blocks), quiet).model();
    for (int parts : new int[] {2, 7}) {
      Mixture other = ExpectationMaximization.fit(start, options, LocalPass.partitioned(blocks, parts), quiet).model();
      assertSameComponents(other, one, SUMMATION_ORDER);
    }
    // EM moved every component towards the truth (and no parameter went non-finite).
    assertThat(ExpectationMaximization.fit(start, options, LocalPass.of(blocks), quiet).meanLogLikelihood())
        .isGreaterThan(ExpectationMaximization.fit(start, new EmOptions(1, 0.0, 1e-6), LocalPass.of(blocks), quiet)
            .meanLogLikelihood());
  }

  @Test
  void normalFeaturesEqualADiagonalGaussian() {
    Mixture truth = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(Component.of(normal(0, 1), normal(1e6, 4)),
        Component.of(normal(3, 2), normal(1e6 + 5, 1))), List.of("x", "y"));
    double[][] rows = truth.sample(4000, 1);
    Mixture asNormals = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(Component.of(normal(1, 1), normal(1e6, 1)),
        Component.of(normal(2, 1), normal(1e6 + 4, 1))), List.of("x", "y"));
    Mixture asDiag = Mixture.gaussian(new double[] {0.5, 0.5}, Gaussians.of(CovarianceType.DIAG,
        new double[][] {{1, 1e6}, {2, 1e6 + 4}}, new double[] {1, 1, 1, 1}), List.of("x", "y"));
    EmOptions options = new EmOptions(30, 0.0, 1e-6);
    FitResult a = MixtureFit.refine(asNormals, rows, null, options, MixtureFit.silent());
    FitResult b = MixtureFit.refine(asDiag, rows, null, options, MixtureFit.silent());
    assertThat(a.meanLogLikelihood()).isCloseTo(b.meanLogLikelihood(), within(1e-9));
    for (int c = 0; c < 2; c++) {
      assertRelClose(a.model().mean(c), b.model().mean(c), 1e-9, "mean " + c);
      assertRelClose(org.sparkgmm.testing.Tolerances.flat(a.model().covariance(c)),
          org.sparkgmm.testing.Tolerances.flat(b.model().covariance(c)), 1e-7, "covariance " + c);
    }
    assertThat(a.model().parameterCount()).isEqualTo(b.model().parameterCount());
  }

  @Test
  void frozenComponentsKeepTheirParametersAndUpdateTheirWeight() {
    Mixture start = pomegranateExample();
    double[][] rows = start.sample(5000, 2);
    EmOptions options = new EmOptions(10, 0.0, 1e-6, java.util.EnumSet.allOf(Parameter.class), Set.of(1), 0.0);
    Mixture fitted = MixtureFit.refine(start, rows, null, options, MixtureFit.silent()).model();
    assertThat(fitted.component(1)).usingRecursiveComparison().isEqualTo(start.component(1));
    assertThat(fitted.component(0)).usingRecursiveComparison().isNotEqualTo(start.component(0));
    assertThat(fitted.weights()[1]).isNotEqualTo(start.weights()[1]);
    assertThatThrownBy(() -> new EmOptions(10, 0.0, 1e-6, java.util.EnumSet.allOf(Parameter.class), Set.of(5), 0.0)
        .frozenFlags(2)).hasMessageContaining("Frozen component 5 does not exist");
  }

  @Test
  void aCollapsedGeneralComponentIsReseededAtTheWorstExplainedRow() {
    Mixture truth = pomegranateExample();
    double[][] rows = truth.sample(3000, 4);
    // Component 2 sits where no row is: it receives no responsibility in the first E-step.
    Mixture start = Mixture.ofComponents(new double[] {0.45, 0.45, 0.1}, List.of(
        Component.of(normal(5, 4), exponential(1), logNormal(0.4, 0.01)),
        Component.of(normal(1, 1), exponential(4), logNormal(1.2, 0.04)),
        Component.of(normal(500, 1), exponential(1000), logNormal(9, 0.01))), NEL);
    List<org.sparkgmm.em.Reseed> events = new ArrayList<>();
    ExpectationMaximization.Listener listener = new ExpectationMaximization.Listener() {
      @Override
      public void iteration(int s, int iteration, double mean, double change, double seconds) { }

      @Override
      public void reseeded(int s, org.sparkgmm.em.Reseed e) {
        events.add(e);
      }
    };
    FitResult fit = MixtureFit.refine(start, rows, null, new EmOptions(3, 0.0, 1e-6), listener);
    assertThat(events).isNotEmpty();
    assertThat(events.get(0).component()).isEqualTo(2);
    // The reseeded Normal location is a data row's value; its weight is 1/k after the re-seed step.
    double location = ((Factor.Univariate) fit.model().component(2).factors().get(0)).parameters()[0];
    assertThat(location).isBetween(-10.0, 20.0);
    for (double w : fit.model().weights()) {
      assertThat(w).isPositive();
    }
  }

  /**
   * The golden version-2 model (two groups of different structure, a tied block, every family) as
   * a start: EM over 1, 2 and 7 partitions gives one model, keeps the groups, and raises the
   * likelihood; values one group cannot take (a Bernoulli feature at 0.5, which the other group's
   * uniform accepts) have density 0 in that group.
   */
  @Test
  void emRefinesAMixtureOfGroupsOfDifferentStructures() throws Exception {
    String text;
    try (java.io.InputStream in = getClass().getResourceAsStream("/models/v2-mixed.json")) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Mixture start = ModelJson.read(text, "v2-mixed.json");
    double[][] rows = start.sample(4000, 17);
    List<RowBlock> blocks = new ArrayList<>();
    for (int b = 0; b < rows.length; b += 400) {
      blocks.add(RowBlock.fromRows(java.util.Arrays.copyOfRange(rows, b, b + 400), null));
    }
    EmOptions options = new EmOptions(8, 0.0, 1e-6);
    FitResult one = ExpectationMaximization.fit(start, options, LocalPass.of(blocks), MixtureFit.silent());
    for (int parts : new int[] {2, 7}) {
      Mixture other = ExpectationMaximization.fit(start, options, LocalPass.partitioned(blocks, parts),
          MixtureFit.silent()).model();
      assertSameComponents(other, one.model(), SUMMATION_ORDER);
    }
    assertThat(one.model().groups()).hasSize(2);
    List<Double> history = one.history();
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i)).isGreaterThanOrEqualTo(history.get(i - 1) - 1e-9);
    }
    double[][] post = start.predictProba(new double[][] {{0, 1, 3, 2, 0, 1, 0.5}});
    assertThat(post[0][2]).isZero();
    assertThat(post[0][3]).isZero();
    assertThat(post[0][0] + post[0][1]).isCloseTo(1.0, within(1e-12));
  }

  /** Every start method builds a valid start of a general structure, from which EM finds the mixture. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(org.sparkgmm.init.InitMode.class)
  void everyStartMethodWorksForGeneralMixtures(org.sparkgmm.init.InitMode init) {
    Mixture truth = pomegranateExample();
    double[][] rows = truth.sample(20_000, 31);
    // Random responsibilities start every component near the data mean, where EM moves slowly (as
    // scikit-learn's init_params='random' does): give it a tighter tol and more iterations.
    EmOptions em = init == org.sparkgmm.init.InitMode.RANDOM ? new EmOptions(1000, 1e-7, 1e-6) : EmOptions.GENERAL_DEFAULTS;
    MixtureFit.Settings settings = new MixtureFit.Settings(2, init, 3, 0L, 5, em);
    FitResult fit = MixtureFit.fromSamples(ComponentSpec.parse("x:normal,y:exponential,z:lognormal"), rows, null,
        settings, MixtureFit.silent());
    double truthMean = java.util.Arrays.stream(truth.logProbability(rows)).average().orElseThrow();
    // At least the true parameters' likelihood (less sampling slack): the optimum, not a worse one.
    assertThat(fit.meanLogLikelihood()).isGreaterThan(truthMean - 1e-3);
    assertRecovered(fit.model(), truth, 0.1);
  }

  /**
   * Regression: on discrete data every copy of a value shares its random draws, so k-means|| rounds
   * found only the first row's value and the fit was refused ("only 1 distinct rows"); the farthest
   * distinct rows now fill the candidates.
   */
  @Test
  void kMeansParallelStartsDataWithFewDistinctValues() {
    Mixture truth = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(
        Component.of(bernoulli(0.1), categorical(0.8, 0.1, 0.1)),
        Component.of(bernoulli(0.9), categorical(0.1, 0.1, 0.8))), List.of("b", "c"));
    double[][] rows = truth.sample(5000, 2);
    ComponentSpec spec = ComponentSpec.parse("b:bernoulli,c:categorical");
    for (org.sparkgmm.init.InitMode init : org.sparkgmm.init.InitMode.values()) {
      for (int k = 2; k <= 6; k++) {
        MixtureFit.Settings settings = new MixtureFit.Settings(k, init, 1, 0L, 5, EmOptions.GENERAL_DEFAULTS);
        FitResult fit = MixtureFit.fromSamples(spec, rows, null, settings, MixtureFit.silent());
        assertThat(fit.model().components()).as(init + " k=" + k).isEqualTo(k);
        assertThat(fit.meanLogLikelihood()).as(init + " k=" + k).isFinite();
      }
    }
    // Six distinct rows exist (2 x 3): seven components cannot be started.
    assertThatThrownBy(() -> MixtureFit.fromSamples(spec, rows, null, MixtureFit.Settings.defaults(7),
        MixtureFit.silent())).hasMessageContaining("only 6 distinct rows");
  }

  @Test
  void valuesOutsideAFamilysSupportAreNamed() {
    double[][] rows = {{1.0, 0.5, 1.2}, {2.0, -0.1, 1.0}};
    assertThatThrownBy(() -> MixtureFit.fromSamples(ComponentSpec.parse("x:normal,y:exponential,z:lognormal"), rows,
        null, MixtureFit.Settings.defaults(1), MixtureFit.silent()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Row 1, feature 'y': value -0.1 must be >= 0 for exponential");
    assertThatThrownBy(() -> pomegranateExample().logProbability(new double[][] {{1.0, 1.0, 0.0}}))
        .hasMessage("Row 0, feature 'z': value 0.0 must be > 0 for lognormal");
    Mixture cat = Mixture.ofComponents(new double[] {1.0}, List.of(Component.of(categorical(0.5, 0.5))), List.of("e"));
    assertThatThrownBy(() -> cat.predict(new double[][] {{2.0}}))
        .hasMessageContaining("feature 'e': value 2.0 is a category code the model does not know (it has codes 0 to 1)");
    assertThat(ComponentSpec.parse("x:poisson").outsideSupport(0, 1.5)).isEqualTo(
        "must be a non-negative integer for poisson");
    assertThat(ComponentSpec.parse("x:bernoulli").outsideSupport(0, 2.0)).isEqualTo("must be 0 or 1 for bernoulli");
  }

  @Test
  void specSyntaxErrorsSayWhatIsExpected() {
    assertThatThrownBy(() -> ComponentSpec.parse("x:nromal")).hasMessageStartingWith(
        "distribution item \"x:nromal\": unknown family 'nromal'; use one of normal, lognormal");
    assertThatThrownBy(() -> ComponentSpec.parse("(a,b):poisson")).hasMessageContaining(
        "a block of features takes a Gaussian covariance type");
    assertThatThrownBy(() -> ComponentSpec.parse("a:normal,a:poisson")).hasMessage(
        "feature 'a' is named twice in the distributions");
    assertThatThrownBy(() -> ComponentSpec.parse("(a,b:full")).hasMessageContaining("unbalanced '('");
    assertThat(ComponentSpec.parse(" (a, b):tied , c:t ").format()).isEqualTo("(a,b):tied,c:t");
  }

  @Test
  void parameterCountsFollowTheFamilies() {
    // Per component: normal 2 + exponential 1 + lognormal 2; plus one free weight.
    assertThat(pomegranateExample().parameterCount()).isEqualTo(2 * 5 + 1);
    Mixture mixed = Mixture.ofComponents(new double[] {1.0}, List.of(Component.of(
        Factor.gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}), categorical(0.2, 0.3, 0.5),
        studentT(0, 1, 4), uniform(0, 1))), List.of("a", "b", "c", "t", "u"));
    assertThat(mixed.parameterCount()).isEqualTo(2 + 3 + 2 + 3 + 2);
  }

  @Test
  void sampleIsTheSameHoweverItIsDrawn() {
    Mixture m = pomegranateExample();
    double[][] all = m.sample(100, 7);
    double[] row = new double[3];
    org.sparkgmm.model.MixtureSampler.of(m).draw(7, 42, row);
    assertThat(row).containsExactly(all[42]);
    assertThat(all[0]).isNotEqualTo(m.sample(1, 8)[0]);
  }

  @Test
  void modelFileVersion2RoundTripsExactlyAndVersion1StaysForGaussians() {
    Mixture m = pomegranateExample();
    String json = ModelJson.write(m);
    assertThat(json).contains("\"format_version\" : 2").contains("\"family\" : \"lognormal\"");
    assertSameComponents(ModelJson.read(json, "m.json"), m, CLOSED_FORM * 0);
    Mixture g = Mixture.gaussian(new double[] {1.0}, Gaussians.of(CovarianceType.DIAG, new double[][] {{0, 1}},
        new double[] {1, 2}), List.of("a", "b"));
    assertThat(ModelJson.write(g)).contains("\"format_version\" : 1");
  }
}
