package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.sparkgmm.component.Factor.gaussian;
import static org.sparkgmm.component.Factor.normal;
import static org.sparkgmm.component.Factor.poisson;
import static org.sparkgmm.component.Factor.studentT;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.data.InMemoryPass;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.init.InitMode;
import org.sparkgmm.init.Starts;
import org.sparkgmm.model.Mixture;

/** Stepwise EM: its exact cases against batch EM, re-centred statistics, and what it saves at scale. */
class StepwiseEmTest {
  private static final StepwiseEm.Listener QUIET = (t, e, b, n, g, ll, s) -> { };

  static Mixture truth(CovarianceType type) {
    double[][] a = {{1, 0.3, 0}, {0.3, 1, 0.2}, {0, 0.2, 0.5}};
    double[][] b = {{0.6, 0, 0.1}, {0, 2, 0}, {0.1, 0, 1}};
    return Mixture.ofComponents(new double[] {0.6, 0.4}, List.of(
        Component.of(gaussian(new double[] {0, 0, 0}, a)), Component.of(gaussian(new double[] {3, -2, 1}, b))),
        List.of("x", "y", "z"));
  }

  static Mixture start(ComponentSpec spec, InMemoryPass pass, int k) {
    return Starts.of(pass, List.of(spec), new Starts.Options(InitMode.KMEANS_PARALLEL, k, new long[] {0L}, 2, false,
        org.sparkgmm.component.Regularisation.absolute(1e-6), 0.0,
        org.sparkgmm.init.DataMoments.measure(pass, spec.features())), pass.rows(), null, m -> { }).get(0).get(0);
  }

  /** kappa = 0 on one batch holding every row: each step is a batch EM iteration (1e-12). */
  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void stepSizeOneOnOneBatchIsBatchEm(CovarianceType type) {
    double[][] rows = truth(type).sample(3000, 3);
    InMemoryPass pass = InMemoryPass.ofRows(rows, null, 512);
    ComponentSpec spec = ComponentSpec.gaussian(List.of("x", "y", "z"), type);
    Mixture start = start(spec, pass, 2);
    EmOptions em = new EmOptions(15, 0.0, 1e-6);
    FitResult batch = ExpectationMaximization.fit(start, em, pass, MixtureFit.silent());
    StepwiseEm.Result online = StepwiseEm.fit(start, em, new StepwiseEm.Options(2.0, 0.0, 15, 1L, 0), pass, QUIET,
        MixtureFit.silent());
    assertThat(online.steps()).isEqualTo(15);
    assertSame(online.fit().model(), batch.model(), 1e-12);
    assertThat(online.fit().logLikelihood()).isCloseTo(batch.logLikelihood(), offset(1e-9));
  }

  /** The same for a general mixture (Normal, Poisson, Student-t). */
  @Test
  void stepSizeOneOnOneBatchIsBatchEmForGeneralMixtures() {
    Mixture truth = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(
        Component.of(normal(0, 1), poisson(2), studentT(0, 1, 5)),
        Component.of(normal(4, 2), poisson(9), studentT(3, 2, 8))), List.of("a", "b", "c"));
    double[][] rows = truth.sample(3000, 4);
    InMemoryPass pass = InMemoryPass.ofRows(rows, null, 700);
    ComponentSpec spec = ComponentSpec.parse("a:normal,b:poisson,c:t");
    Mixture start = start(spec, pass, 2);
    EmOptions em = new EmOptions(10, 0.0, 1e-6);
    FitResult batch = ExpectationMaximization.fit(start, em, pass, MixtureFit.silent());
    StepwiseEm.Result online = StepwiseEm.fit(start, em, new StepwiseEm.Options(0.0, 0.0, 10, 1L, 0), pass, QUIET,
        MixtureFit.silent());
    assertSame(online.fit().model(), batch.model(), 1e-12);
  }

  /** Statistics summed over the batches, then one M-step, equal one batch step. */
  @Test
  void summariesOfChunksThenOneMStepEqualOneBatchStep() {
    double[][] rows = truth(CovarianceType.FULL).sample(4000, 5);
    InMemoryPass chunks = InMemoryPass.ofRows(rows, null, 512, 7, 3L);
    Mixture model = start(ComponentSpec.gaussian(List.of("x", "y", "z"), CovarianceType.FULL), chunks, 2);
    MixtureStatistics summed = null;
    for (int b = 0; b < chunks.batches(); b++) {
      MixtureStatistics s = chunks.runBatch("chunk", b, EmAccumulator.forStatistics(() -> model)).statistics();
      summed = summed == null ? s : summed.merge(s);
    }
    MixtureStatistics whole = chunks.run("all", EmAccumulator.forStatistics(() -> model)).statistics();
    MStep.Options o = new MStep.Options(org.sparkgmm.component.Regularisation.absolute(1e-6), java.util.EnumSet.allOf(org.sparkgmm.component.Parameter.class), 0.0,
        List.of(), new boolean[2], 0.0);
    assertSame(MStep.update(model, summed, o).model(), MStep.update(model, whole, o).model(), 1e-12);
    assertThat(chunks.rows()).isEqualTo(4000);
    long inBatches = 0;
    for (int b = 0; b < chunks.batches(); b++) {
      inBatches += chunks.rows(b);
      assertThat(chunks.rows(b)).isBetween(400L, 750L);
    }
    assertThat(inBatches).isEqualTo(4000);
  }

  /**
   * Statistics of complete rows gathered at one model and re-centred on another equal those
   * gathered there (rows with holes take model-dependent conditional expectations, so only complete
   * rows can be compared exactly).
   */
  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void recentredStatisticsEqualStatisticsGatheredThere(CovarianceType type) {
    double[][] rows = truth(type).sample(500, 6);
    RowBlock block = RowBlock.fromRows(rows, null);
    double[] cov = new double[Gaussians.covarianceLength(type, 2, 3)];
    for (int i = 0; i < cov.length; i++) {
      cov[i] = type == CovarianceType.FULL || type == CovarianceType.TIED ? ((i % 9) % 4 == 0 ? 1.5 : 0.0) : 1.0 + i * 0.1;
    }
    List<String> names = List.of("x", "y", "z");
    Mixture a = Mixture.gaussian(new double[] {0.6, 0.4}, Gaussians.of(type, new double[][] {{0, 0, 0}, {3, -2, 1}},
        cov), names);
    Mixture b = Mixture.gaussian(new double[] {0.6, 0.4}, Gaussians.of(type, new double[][] {{1, 1, -1}, {2, -3, 0}},
        cov), names);
    SplittableRandom r = new SplittableRandom(2);
    double[] resp = new double[rows.length * 2];
    for (int i = 0; i < rows.length; i++) {
      resp[i] = r.nextDouble();
      resp[rows.length + i] = 1 - resp[i];
    }
    MixtureStatistics atA = a.emptyStatistics();
    atA.add(block, resp);
    MixtureStatistics atB = b.emptyStatistics();
    atB.add(block, resp);
    MStep.Options o = new MStep.Options(org.sparkgmm.component.Regularisation.absolute(1e-6), java.util.EnumSet.allOf(org.sparkgmm.component.Parameter.class), 0.0,
        List.of(), new boolean[2], 0.0);
    assertSame(MStep.update(b, atA.recentred(b), o).model(), MStep.update(b, atB, o).model(), 1e-10);
  }

  /** The same for Normal and Student-t features, whose sums are centred too. */
  @Test
  void recentredIndependentStatisticsEqualStatisticsGatheredThere() {
    List<String> names = List.of("a", "b", "c");
    Mixture a = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(
        Component.of(normal(0, 1), poisson(2), studentT(0, 1, 5)),
        Component.of(normal(4, 2), poisson(9), studentT(3, 2, 8))), names);
    Mixture b = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(
        Component.of(normal(1, 1), poisson(3), studentT(0.5, 1, 5)),
        Component.of(normal(2, 2), poisson(7), studentT(2, 2, 8))), names);
    double[][] rows = a.sample(400, 3);
    RowBlock block = RowBlock.fromRows(rows, null);
    double[] resp = new double[rows.length * 2];
    for (int i = 0; i < rows.length; i++) {
      resp[i] = (i % 7) / 7.0;
      resp[rows.length + i] = 1 - resp[i];
    }
    MixtureStatistics atA = a.emptyStatistics();
    atA.add(block, resp);
    MixtureStatistics atB = b.emptyStatistics();
    atB.add(block, resp);
    MStep.Options o = new MStep.Options(org.sparkgmm.component.Regularisation.absolute(1e-6), java.util.EnumSet.of(org.sparkgmm.component.Parameter.WEIGHTS,
        org.sparkgmm.component.Parameter.MEANS), 0.0, List.of(), new boolean[2], 0.0);
    // Normal and Poisson exactly; a Student-t's row scales depend on where they were gathered, so
    // only its location sums are compared through the held-spread M-step's Normal and Poisson parts.
    Mixture fromA = MStep.update(b, atA.recentred(b), o).model();
    Mixture fromB = MStep.update(b, atB, o).model();
    for (int c = 0; c < 2; c++) {
      assertThat(fromA.mean(c)[0]).isCloseTo(fromB.mean(c)[0], offset(1e-10));
      assertThat(fromA.mean(c)[1]).isCloseTo(fromB.mean(c)[1], offset(1e-10));
    }
  }

  /**
   * 4M rows of a known mixture: stepwise EM from the same start reaches the batch optimum's mean
   * log-likelihood within 1e-3 while reading at most a third of the rows batch EM reads.
   */
  @Test
  void reachesTheBatchOptimumReadingAThirdOfTheRows() {
    Mixture truth = Mixture.ofComponents(new double[] {0.5, 0.3, 0.2}, List.of(
        Component.of(gaussian(new double[] {0, 0}, new double[][] {{1, 0.5}, {0.5, 1}})),
        Component.of(gaussian(new double[] {2.5, 1}, new double[][] {{1, -0.3}, {-0.3, 0.8}})),
        Component.of(gaussian(new double[] {-1, 3}, new double[][] {{0.5, 0}, {0, 2}}))), List.of("x", "y"));
    int n = 4_000_000;
    double[][] rows = truth.sample(n, 9);
    InMemoryPass all = InMemoryPass.ofRows(rows, null, 4096, 100, 1L);
    rows = null;
    Mixture start = start(ComponentSpec.gaussian(List.of("x", "y"), CovarianceType.FULL), all, 3);
    FitResult batch = ExpectationMaximization.fit(start, new EmOptions(500, 1e-7, 1e-6), all, MixtureFit.silent());
    long batchRows = (batch.iterations() + 1L) * n;
    StepwiseEm.Result online = StepwiseEm.fit(start, new EmOptions(100, 1e-4, 1e-6),
        new StepwiseEm.Options(StepwiseEm.DEFAULT_T0, StepwiseEm.DEFAULT_KAPPA, 20, 1L, 0), all, QUIET,
        MixtureFit.silent());
    System.out.printf("batch: %d iterations, %d rows read, mean log-likelihood %.8f; stepwise: %d steps, %d epochs,"
        + " %d rows read, %.8f%n", batch.iterations(), batchRows, batch.meanLogLikelihood(), online.steps(),
        online.epochs(), online.rowsVisited(), online.fit().meanLogLikelihood());
    assertThat(batch.converged()).isTrue();
    assertThat(online.fit().meanLogLikelihood()).isGreaterThan(batch.meanLogLikelihood() - 1e-3);
    assertThat(online.rowsVisited()).isLessThanOrEqualTo(batchRows / 3);
  }

  static void assertSame(Mixture actual, Mixture expected, double tol) {
    assertThat(actual.weights()).containsExactly(expected.weights(), offset(tol));
    for (int c = 0; c < expected.components(); c++) {
      assertThat(actual.mean(c)).containsExactly(expected.mean(c), offset(tol));
      double[][] a = actual.covariance(c);
      double[][] e = expected.covariance(c);
      for (int j = 0; j < e.length; j++) {
        assertThat(a[j]).containsExactly(e[j], offset(tol));
      }
    }
  }
}
