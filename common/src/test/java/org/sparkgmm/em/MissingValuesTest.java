package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.sparkgmm.component.Factor.bernoulli;
import static org.sparkgmm.component.Factor.categorical;
import static org.sparkgmm.component.Factor.exponential;
import static org.sparkgmm.component.Factor.gamma;
import static org.sparkgmm.component.Factor.gaussian;
import static org.sparkgmm.component.Factor.logNormal;
import static org.sparkgmm.component.Factor.normal;
import static org.sparkgmm.component.Factor.poisson;
import static org.sparkgmm.component.Factor.studentT;
import static org.sparkgmm.component.Factor.uniform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.init.InitMode;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * Missing values inside EM (NaN cells, full-information maximum likelihood) through the in-memory
 * API, which runs the same starts, kernels and M-step as Spark.
 */
class MissingValuesTest {
  private static final List<String> XY4 = List.of("x0", "x1", "x2", "x3");

  private static MixtureFit.Settings settings(int k, EmOptions em) {
    return new MixtureFit.Settings(k, InitMode.KMEANS_PARALLEL, 1, 0L, 5, em, true);
  }

  /** Anderson's closed form on a monotone pattern (resources/missing/make_monotone_reference.py). */
  @Test
  void oneFullGaussianOnMonotoneMissingnessIsTheClosedFormEstimate() throws Exception {
    JsonNode ref;
    try (InputStream in = getClass().getResourceAsStream("/missing/monotone.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    JsonNode jrows = ref.get("rows");
    double[][] rows = new double[jrows.size()][4];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < 4; j++) {
        JsonNode v = jrows.get(i).get(j);
        rows[i][j] = v.isNull() ? Double.NaN : v.asDouble();
      }
    }
    FitResult fit = MixtureFit.fromSamples(ComponentSpec.gaussian(XY4, CovarianceType.FULL), rows, null,
        settings(1, new EmOptions(10_000, 1e-15, 0.0)), MixtureFit.silent());
    Gaussians g = fit.model().asGaussian().orElseThrow();
    for (int a = 0; a < 4; a++) {
      assertThat(g.mean(0)[a]).as("mean %d", a).isCloseTo(ref.get("mean").get(a).asDouble(),
          offset(1e-6));
      for (int b = 0; b < 4; b++) {
        assertThat(g.covarianceMatrix(0)[a][b]).as("covariance %d,%d", a, b)
            .isCloseTo(ref.get("covariance").get(a).get(b).asDouble(), offset(1e-6));
      }
    }
  }

  /** Rows with holes, each cell missing with probability {@code p}, never a whole row. */
  static double[][] punch(double[][] rows, double p, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      int d = out[i].length;
      int keep = r.nextInt(d);
      for (int j = 0; j < d; j++) {
        if (j != keep && r.nextDouble() < p) {
          out[i][j] = Double.NaN;
        }
      }
    }
    return out;
  }

  /** The statistics of rows with holes equal Ghahramani and Jordan's per-row conditional expectations. */
  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void incompleteStatisticsAreTheConditionalExpectationsRowByRow(CovarianceType type) {
    int k = 3;
    int d = 4;
    SplittableRandom r = new SplittableRandom(7);
    double[][] means = new double[k][d];
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        means[c][j] = r.nextGaussian() * 3;
      }
    }
    int blocks = type == CovarianceType.FULL ? k : type == CovarianceType.TIED ? 1 : 0;
    for (int c = 0; c < blocks; c++) {
      double[][] a = new double[d][d];
      for (double[] row : a) {
        for (int j = 0; j < d; j++) {
          row[j] = r.nextGaussian();
        }
      }
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < d; q++) {
          double s = p == q ? 0.5 : 0.0;
          for (int t = 0; t < d; t++) {
            s += a[p][t] * a[q][t];
          }
          cov[c * d * d + q * d + p] = s;
        }
      }
    }
    if (blocks == 0) {
      for (int i = 0; i < cov.length; i++) {
        cov[i] = 0.5 + r.nextDouble() * 2;
      }
    }
    Gaussians g = Gaussians.of(type, means, cov);
    int n = 60;
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian() * 2;
      }
    }
    x = punch(x, 0.35, 3);
    x[0] = new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    double[] w = new double[n];
    double[] resp = new double[n * k];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 + r.nextDouble();
      for (int c = 0; c < k; c++) {
        resp[c * n + i] = r.nextDouble();
      }
    }
    GaussianStatistics s = GaussianStatistics.at(g).add(RowBlock.fromRows(x, w), resp);
    boolean diagonal = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
    double[][] tied = new double[d][d];
    for (int c = 0; c < k; c++) {
      double mass = 0.0;
      double[] massJ = new double[d];
      double[] s1 = new double[d];
      double[][] s2 = new double[d][d];
      double[][] sigma = g.covarianceMatrix(c);
      for (int i = 0; i < n; i++) {
        double u = w[i] * resp[c * n + i];
        mass += u;
        double[] z = new double[d];
        double[][] cond = new double[d][d];
        conditional(x[i], means[c], sigma, z, cond);
        for (int a = 0; a < d; a++) {
          boolean seen = !Double.isNaN(x[i][a]);
          if (diagonal) {
            if (seen) {
              massJ[a] += u;
              s1[a] += u * z[a];
              s2[a][a] += u * z[a] * z[a];
            }
            continue;
          }
          s1[a] += u * z[a];
          for (int b = 0; b < d; b++) {
            s2[a][b] += u * (z[a] * z[b] + cond[a][b]);
          }
        }
      }
      assertThat(s.weightSum(c)).isCloseTo(mass, offset(1e-10));
      double[] f1 = s.firstMoment(c);
      double[] f2 = s.secondMoment(c);
      for (int a = 0; a < d; a++) {
        assertThat(f1[a]).as("S1[%d][%d]", c, a).isCloseTo(s1[a], offset(1e-9));
        if (diagonal) {
          assertThat(s.featureMass(c)[a]).isCloseTo(massJ[a], offset(1e-10));
          assertThat(f2[a]).isCloseTo(s2[a][a], offset(1e-9));
        } else {
          for (int b = 0; b < d; b++) {
            tied[a][b] += s2[a][b];
            if (type == CovarianceType.FULL) {
              assertThat(f2[b * d + a]).as("S2[%d][%d,%d]", c, a, b)
                  .isCloseTo(s2[a][b], offset(1e-9));
            }
          }
        }
      }
    }
    if (type == CovarianceType.TIED) {
      double[] f2 = s.secondMoment(0);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          assertThat(f2[b * d + a]).isCloseTo(tied[a][b], offset(1e-9));
        }
      }
    }
  }

  /**
   * The textbook row-by-row formulas: {@code z = x_hat - mu} with {@code x_hat_M = mu_M + S_MO
   * S_OO^-1 (x_O - mu_O)}, and {@code cond} the conditional covariance on the missing block.
   */
  private static void conditional(double[] x, double[] mu, double[][] sigma, double[] z, double[][] cond) {
    int d = x.length;
    List<Integer> o = new ArrayList<>();
    List<Integer> m = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      (Double.isNaN(x[j]) ? m : o).add(j);
    }
    RealMatrix soo = sub(sigma, o, o);
    RealMatrix smo = sub(sigma, m, o);
    RealMatrix smm = sub(sigma, m, m);
    RealMatrix b = o.isEmpty()
        ? new Array2DRowRealMatrix(m.size(), 1).scalarMultiply(0)
        : smo.multiply(new LUDecomposition(soo).getSolver().getInverse());
    for (int a : o) {
      z[a] = x[a] - mu[a];
    }
    for (int p = 0; p < m.size(); p++) {
      double v = 0.0;
      for (int q = 0; q < o.size(); q++) {
        v += b.getEntry(p, q) * (x[o.get(q)] - mu[o.get(q)]);
      }
      z[m.get(p)] = v;
    }
    RealMatrix c = o.isEmpty() ? smm : smm.subtract(b.multiply(smo.transpose()));
    for (int p = 0; p < m.size(); p++) {
      for (int q = 0; q < m.size(); q++) {
        cond[m.get(p)][m.get(q)] = c.getEntry(p, q);
      }
    }
  }

  private static RealMatrix sub(double[][] s, List<Integer> rows, List<Integer> cols) {
    double[][] out = new double[Math.max(rows.size(), 1)][Math.max(cols.size(), 1)];
    for (int a = 0; a < rows.size(); a++) {
      for (int b = 0; b < cols.size(); b++) {
        out[a][b] = s[rows.get(a)][cols.get(b)];
      }
    }
    return new Array2DRowRealMatrix(out, false);
  }

  static Stream<Arguments> everyComponentKind() {
    double[][] c1 = {{1, 0.3}, {0.3, 0.5}};
    double[][] c2 = {{0.6, -0.2}, {-0.2, 1.2}};
    List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
    Mixture general = Mixture.ofComponents(new double[] {0.6, 0.4}, List.of(
        Component.of(gaussian(new double[] {0, 0}, c1), normal(1, 1), logNormal(0, 0.25), exponential(2),
            gamma(2, 1), poisson(3), bernoulli(0.2), categorical(0.5, 0.3, 0.2), uniform(0, 1), studentT(0, 1, 4)),
        Component.of(gaussian(new double[] {3, 2}, c2), normal(-1, 2), logNormal(1, 0.5), exponential(0.5),
            gamma(5, 2), poisson(8), bernoulli(0.7), categorical(0.1, 0.2, 0.7), uniform(0.2, 2), studentT(3, 2, 6))),
        names);
    String spec = "(a,b):full,c:normal,d:lognormal,e:exponential,f:gamma,g:poisson,h:bernoulli,i:categorical,"
        + "j:uniform,k:t";
    List<Arguments> out = new ArrayList<>();
    for (CovarianceType t : CovarianceType.values()) {
      out.add(Arguments.of(t.externalName(), gaussianTruth(), ComponentSpec.gaussian(XY4, t)));
    }
    out.add(Arguments.of("every family", general, ComponentSpec.parse(spec)));
    return out.stream();
  }

  static Mixture gaussianTruth() {
    return Mixture.ofComponents(new double[] {0.5, 0.3, 0.2}, List.of(
        Component.of(gaussian(new double[] {0, 0, 0, 0}, spd(4, 1))),
        Component.of(gaussian(new double[] {4, 1, -3, 2}, spd(4, 2))),
        Component.of(gaussian(new double[] {-3, 4, 2, -2}, spd(4, 3)))), XY4);
  }

  static double[][] spd(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] a = new double[d][d];
    for (double[] row : a) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian() * 0.7;
      }
    }
    double[][] s = new double[d][d];
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < d; q++) {
        s[p][q] = p == q ? 0.4 : 0.0;
        for (int t = 0; t < d; t++) {
          s[p][q] += a[p][t] * a[q][t];
        }
      }
    }
    return s;
  }

  /** EM on the observed-data likelihood is monotone: every component kind, 20% of cells missing. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyComponentKind")
  void observedLogLikelihoodNeverDecreases(String name, Mixture truth, ComponentSpec spec) {
    double[][] rows = punch(truth.sample(3000, 11), 0.2, 5);
    List<Double> history = new ArrayList<>();
    FitResult fit = MixtureFit.fromSamples(spec, rows, null, settings(truth.components(),
        new EmOptions(60, 0.0, 1e-6)), (start, iteration, mean, change, seconds) -> history.add(mean));
    assertThat(history).hasSizeGreaterThan(10);
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i)).as("%s: iteration %d after %d", name, i + 1, i)
          .isGreaterThanOrEqualTo(history.get(i - 1) - 1e-12 * Math.abs(history.get(i - 1)));
    }
    assertThat(fit.meanLogLikelihood()).isFinite();
  }

  /** With no missing value the option changes nothing. */
  @Test
  void withoutMissingValuesTheOptionChangesNothing() {
    double[][] rows = gaussianTruth().sample(2000, 3);
    ComponentSpec spec = ComponentSpec.gaussian(XY4, CovarianceType.FULL);
    FitResult on = MixtureFit.fromSamples(spec, rows, null, settings(3, EmOptions.DEFAULTS), MixtureFit.silent());
    FitResult off = MixtureFit.fromSamples(spec, rows, null, settings(3, EmOptions.DEFAULTS).withMissing(false),
        MixtureFit.silent());
    assertThat(on.history()).isEqualTo(off.history());
    Gaussians a = on.model().asGaussian().orElseThrow();
    Gaussians b = off.model().asGaussian().orElseThrow();
    assertThat(a.covarianceValues()).containsExactly(b.covarianceValues(), offset(1e-12));
    assertThat(on.model().weights()).containsExactly(off.model().weights(), offset(1e-12));
  }

  @Test
  void nanIsRefusedWithoutTheOptionAndAnEmptyRowEvenWithIt() {
    double[][] rows = gaussianTruth().sample(100, 3);
    rows[7][2] = Double.NaN;
    ComponentSpec spec = ComponentSpec.gaussian(XY4, CovarianceType.FULL);
    assertThatThrownBy(() -> MixtureFit.fromSamples(spec, rows, null, settings(3, EmOptions.DEFAULTS)
        .withMissing(false), MixtureFit.silent())).hasMessageContaining("Row 7, feature 'x2'")
        .hasMessageContaining("missing");
    rows[9] = new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    assertThatThrownBy(() -> MixtureFit.fromSamples(spec, rows, null, settings(3, EmOptions.DEFAULTS),
        MixtureFit.silent())).hasMessageContaining("Row 9 has no observed value");
    double[][] column = gaussianTruth().sample(100, 4);
    for (double[] row : column) {
      row[1] = Double.NaN;
    }
    assertThatThrownBy(() -> MixtureFit.fromSamples(spec, column, null, settings(3, EmOptions.DEFAULTS),
        MixtureFit.silent())).hasMessageContaining("Feature 'x1' has no observed value");
  }

  /** A well-separated 3-component full Gaussian mixture in 10 dimensions. */
  static Mixture tenDimensions() {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 10; j++) {
      names.add("f" + j);
    }
    double[][] means = new double[3][10];
    SplittableRandom r = new SplittableRandom(42);
    List<Component> comps = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      for (int j = 0; j < 10; j++) {
        means[c][j] = 4.0 * r.nextGaussian();
      }
      comps.add(Component.of(gaussian(means[c], spd(10, 10 + c))));
    }
    return Mixture.ofComponents(new double[] {0.5, 0.3, 0.2}, comps, names);
  }

  /** The largest error of the means and weights, components matched to the truth by nearest mean. */
  static double[] errors(Mixture fit, Mixture truth) {
    double mean = 0.0;
    double weight = 0.0;
    double cov = 0.0;
    for (int c = 0; c < truth.components(); c++) {
      double[] t = truth.mean(c);
      int best = 0;
      double bestD = Double.POSITIVE_INFINITY;
      for (int f = 0; f < fit.components(); f++) {
        double dd = 0.0;
        for (int j = 0; j < t.length; j++) {
          dd += Math.pow(fit.mean(f)[j] - t[j], 2);
        }
        if (dd < bestD) {
          bestD = dd;
          best = f;
        }
      }
      for (int j = 0; j < t.length; j++) {
        mean = Math.max(mean, Math.abs(fit.mean(best)[j] - t[j]));
        for (int q = 0; q < t.length; q++) {
          cov = Math.max(cov, Math.abs(fit.covariance(best)[j][q] - truth.covariance(c)[j][q]));
        }
      }
      weight = Math.max(weight, Math.abs(fit.weights()[best] - truth.weights()[c]));
    }
    return new double[] {mean, weight, cov};
  }

  /**
   * 20% of cells missing completely at random in 10 dimensions leave 11% of the rows complete:
   * maximum likelihood on what is observed recovers the mixture within the tolerances, a fit of the
   * complete rows only (listwise deletion) of the same data does not.
   */
  @Test
  void recoversTheMixtureWhereListwiseDeletionDoesNot() {
    Mixture truth = tenDimensions();
    double[][] full = truth.sample(6000, 17);
    double[][] holes = punch(full, 0.2, 23);
    List<double[]> complete = new ArrayList<>();
    for (double[] row : holes) {
      boolean all = true;
      for (double v : row) {
        all &= !Double.isNaN(v);
      }
      if (all) {
        complete.add(row);
      }
    }
    ComponentSpec spec = ComponentSpec.gaussian(truth.features(), CovarianceType.FULL);
    EmOptions em = new EmOptions(300, 1e-8, 1e-6);
    MixtureFit.Settings s = new MixtureFit.Settings(3, InitMode.KMEANS_PARALLEL, 3, 0L, 5, em, true);
    double[] fiml = errors(MixtureFit.fromSamples(spec, holes, null, s, MixtureFit.silent()).model(), truth);
    double[] listwise = errors(MixtureFit.fromSamples(spec, complete.toArray(new double[0][]), null, s,
        MixtureFit.silent()).model(), truth);
    // Feature standard deviations are about 2.2; the tolerances: every mean within 0.3, every
    // covariance entry within 0.8, every weight within 0.02 (measured: FIML 0.17, 0.60, 0.005;
    // listwise 0.63, 0.99, 0.004: deleting rows costs precision, not bias, when cells are MCAR).
    assertThat(complete.size()).isBetween(600, 1000);
    assertThat(fiml[0]).as("FIML mean error").isLessThan(0.3);
    assertThat(fiml[2]).as("FIML covariance error").isLessThan(0.8);
    assertThat(fiml[1]).as("FIML weight error").isLessThan(0.02);
    assertThat(listwise[0]).as("listwise mean error").isGreaterThan(0.3);
    assertThat(listwise[2]).as("listwise covariance error").isGreaterThan(0.8);
  }

  /** {@code predict --impute}'s kernel on one Gaussian is the closed-form conditional mean. */
  @Test
  void imputationOfOneGaussianIsTheConditionalMean() {
    double[][] sigma = spd(4, 5);
    double[] mu = {1, -2, 0.5, 3};
    Mixture one = Mixture.ofComponents(new double[] {1.0}, List.of(Component.of(gaussian(mu, sigma))), XY4);
    double[][] rows = punch(one.sample(200, 9), 0.4, 13);
    double[][] imputed = one.impute(rows);
    for (int i = 0; i < rows.length; i++) {
      double[] z = new double[4];
      double[][] cond = new double[4][4];
      conditional(rows[i], mu, sigma, z, cond);
      for (int j = 0; j < 4; j++) {
        double expected = Double.isNaN(rows[i][j]) ? mu[j] + z[j] : rows[i][j];
        assertThat(imputed[i][j]).as("row %d, feature %d", i, j)
            .isCloseTo(expected, offset(1e-10));
      }
    }
  }

  /**
   * A Gaussian block with Poisson and Categorical features, cells missing everywhere: fits,
   * predicts and scores rows with holes, and imputes by posterior-weighted means (a category by its
   * most probable level).
   */
  @Test
  void generalMixtureWithMissingCellsFitsPredictsAndImputes() {
    List<String> names = List.of("a", "b", "n", "c");
    Mixture truth = Mixture.ofComponents(new double[] {0.55, 0.45}, List.of(
        Component.of(gaussian(new double[] {0, 0}, new double[][] {{1, 0.5}, {0.5, 1}}), poisson(2),
            categorical(0.7, 0.2, 0.1)),
        Component.of(gaussian(new double[] {4, 3}, new double[][] {{1, -0.3}, {-0.3, 0.5}}), poisson(9),
            categorical(0.1, 0.1, 0.8))), names);
    double[][] rows = punch(truth.sample(4000, 1), 0.2, 2);
    ComponentSpec spec = ComponentSpec.parse("(a,b):full,n:poisson,c:categorical");
    Mixture fit = MixtureFit.fromSamples(spec, rows, null, settings(2, EmOptions.GENERAL_DEFAULTS),
        MixtureFit.silent()).model();
    int big = fit.mean(0)[2] > fit.mean(1)[2] ? 0 : 1;
    assertThat(fit.mean(big)[2]).isCloseTo(9.0, offset(0.3));
    assertThat(fit.mean(1 - big)[2]).isCloseTo(2.0, offset(0.2));
    assertThat(fit.weights()[big]).isCloseTo(0.45, offset(0.03));
    double[][] probe = {{Double.NaN, Double.NaN, 9, 2}, {0.1, Double.NaN, Double.NaN, Double.NaN},
        {Double.NaN, 3.1, 8, Double.NaN}};
    assertThat(fit.predict(probe)).containsExactly(big, 1 - big, big);
    for (double v : fit.logProbability(probe)) {
      assertThat(v).isFinite();
    }
    double[][] imputed = fit.impute(probe);
    assertThat(imputed[0][0]).isCloseTo(fit.mean(big)[0], offset(0.05));
    assertThat(imputed[1][3]).isEqualTo(0.0);
    assertThat(imputed[2][3]).isEqualTo(2.0);
    assertThat(imputed[1][2]).isCloseTo(fit.mean(1 - big)[2], offset(0.05));
    assertThat(imputed[2][2]).isEqualTo(8.0);
  }

  /**
   * k-means on rows with holes: the nearest centre by partial distance (scaled by d / observed),
   * and Lloyd moves each feature of a centre by the rows observing it.
   */
  @Test
  void kMeansUsesPartialDistancesAndPerFeatureMoves() {
    org.sparkgmm.init.Centers centres = org.sparkgmm.init.Centers.of(new double[][] {{0, 0, 0}, {10, 10, 10}}, 3);
    double nan = Double.NaN;
    RowBlock block = RowBlock.fromRows(new double[][] {{1, nan, nan}, {nan, 9, 8}, {2, 2, 2}, {nan, nan, 12}}, null);
    double[] distance = new double[4];
    int[] index = new int[4];
    centres.nearest(block, distance, index, new double[4]);
    assertThat(index).containsExactly(0, 1, 0, 1);
    assertThat(distance[0]).isCloseTo(3.0, offset(1e-12)); // 1^2 * 3 / 1
    assertThat(distance[1]).isCloseTo((1 + 4) * 1.5, offset(1e-12));
    assertThat(distance[2]).isCloseTo(12.0, offset(1e-12));
    org.sparkgmm.init.LloydStatistics lloyd = new org.sparkgmm.init.LloydStatistics(() -> centres, 2).add(block);
    org.sparkgmm.init.Centers moved = lloyd.moved(centres);
    assertThat(moved.center(0)).containsExactly(new double[] {1.5, 2, 2}, offset(1e-12));
    assertThat(moved.center(1)).containsExactly(new double[] {10, 9, 10}, offset(1e-12));
  }
}
