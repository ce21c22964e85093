package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
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

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;

/** Updating a model with new rows ({@code gmm update}'s engine). */
class ModelUpdateTest {
  private static final MStep.Options EVERYTHING = new MStep.Options(org.sparkgmm.component.Regularisation.absolute(1e-6), EnumSet.allOf(Parameter.class), 0.0,
      List.of(), new boolean[2], 0.0);

  /** The M-step on a model's expected statistics returns the model, for every family. */
  @Test
  void expectedStatisticsReturnTheModel() {
    Mixture m = Mixture.ofComponents(new double[] {0.3, 0.7}, List.of(
        Component.of(gaussian(new double[] {0, 1}, new double[][] {{1, 0.2}, {0.2, 2}}), normal(1, 2), logNormal(0, 0.3),
            exponential(2), gamma(3, 1.5), poisson(4), bernoulli(0.3), categorical(0.2, 0.5, 0.3), uniform(-1, 2),
            studentT(0, 1.5, 6)),
        Component.of(gaussian(new double[] {4, -1}, new double[][] {{0.5, 0}, {0, 0.7}}), normal(-3, 0.5),
            logNormal(1, 0.2), exponential(0.5), gamma(8, 2), poisson(11), bernoulli(0.8), categorical(0.6, 0.3, 0.1),
            uniform(0, 5), studentT(2, 0.5, 20))),
        List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"));
    Mixture back = MStep.update(m, m.expectedStatistics(1234.0, 1e-6), EVERYTHING).model();
    StepwiseEmTest.assertSame(back, m, 1e-9);
    for (int c = 0; c < 2; c++) {
      List<org.sparkgmm.component.Factor> got = back.component(c).factors();
      List<org.sparkgmm.component.Factor> want = m.component(c).factors();
      for (int f = 0; f < want.size(); f++) {
        if (want.get(f) instanceof org.sparkgmm.component.Factor.Univariate u) {
          assertThat(((org.sparkgmm.component.Factor.Univariate) got.get(f)).parameters()).as("%s", u.family())
              .containsExactly(u.parameters(), org.assertj.core.data.Offset.offset(1e-9));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void expectedStatisticsReturnGaussianMixtures(CovarianceType type) {
    double[] cov = new double[Gaussians.covarianceLength(type, 2, 3)];
    for (int i = 0; i < cov.length; i++) {
      cov[i] = type == CovarianceType.FULL || type == CovarianceType.TIED ? ((i % 9) % 4 == 0 ? 1.5 : 0.2) : 1 + i;
    }
    Mixture m = Mixture.gaussian(new double[] {0.4, 0.6}, Gaussians.of(type, new double[][] {{0, 1, 2}, {3, 4, 5}},
        cov), List.of("x", "y", "z"));
    StepwiseEmTest.assertSame(MStep.update(m, m.expectedStatistics(500.0, 1e-6), EVERYTHING).model(), m, 1e-12);
  }

  /** Decay 0: a fit of the new rows started from the old model. */
  @Test
  void decayZeroIsAFitOfTheNewRowsFromTheOldModel() {
    Mixture truth = StepwiseEmTest.truth(CovarianceType.FULL);
    double[][] newRows = truth.sample(2000, 8);
    Mixture old = Mixture.ofComponents(new double[] {0.5, 0.5}, List.of(
        Component.of(gaussian(new double[] {0.5, 0, 0}, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}})),
        Component.of(gaussian(new double[] {2, -1, 1}, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}))),
        truth.features());
    EmOptions em = new EmOptions(50, 1e-8, 1e-6);
    FitResult updated = MixtureFit.update(old, 10_000, 0.0, newRows, null, em, false, MixtureFit.silent());
    FitResult fresh = MixtureFit.refine(old, newRows, null, em, MixtureFit.silent());
    StepwiseEmTest.assertSame(updated.model(), fresh.model(), 1e-12);
  }

  /** New rows repeating the old data leave a converged model where it is (1e-6), whatever the decay. */
  @Test
  void repeatingTheOldDataLeavesAConvergedModelWhereItIs() {
    double[][] rows = StepwiseEmTest.truth(CovarianceType.FULL).sample(3000, 2);
    ComponentSpec spec = ComponentSpec.gaussian(List.of("x", "y", "z"), CovarianceType.FULL);
    // The update regularises as the fit did: relative to the same feature variances.
    double[] scale = org.sparkgmm.init.DataMoments.measure(org.sparkgmm.data.InMemoryPass.ofRows(rows, null, 4096),
        spec.features()).variances();
    EmOptions em = new EmOptions(2000, 1e-14, 1e-6).withRegScale(scale);
    FitResult fit = MixtureFit.fromSamples(spec, rows, null, new MixtureFit.Settings(2,
        org.sparkgmm.init.InitMode.KMEANS_PARALLEL, 1, 0L, 5, em), MixtureFit.silent());
    for (double decay : new double[] {1.0, 0.5}) {
      FitResult again = MixtureFit.update(fit.model(), fit.weightSum(), decay, rows, null,
          new EmOptions(20, 0.0, 1e-6).withRegScale(scale), false, MixtureFit.silent());
      StepwiseEmTest.assertSame(again.model(), fit.model(), 1e-6);
    }
  }

  /** The old evidence counts: updating with a few shifted rows moves the model less the more it weighs. */
  @Test
  void olderEvidenceWeighsAgainstNewRows() {
    Mixture one = Mixture.ofComponents(new double[] {1.0}, List.of(Component.of(normal(0, 1))), List.of("x"));
    double[][] shifted = Mixture.ofComponents(new double[] {1.0}, List.of(Component.of(normal(10, 1))), List.of("x"))
        .sample(1000, 4);
    EmOptions em = new EmOptions(50, 1e-12, 1e-6);
    double heavy = MixtureFit.update(one, 9000, 1.0, shifted, null, em, false, MixtureFit.silent()).model().mean(0)[0];
    double light = MixtureFit.update(one, 9000, 0.1, shifted, null, em, false, MixtureFit.silent()).model().mean(0)[0];
    double sample = java.util.Arrays.stream(shifted).mapToDouble(r -> r[0]).average().orElseThrow();
    // The mean of old and new evidence: (decay * 9000 * 0 + 1000 * sample) / (decay * 9000 + 1000).
    assertThat(heavy).isCloseTo(1000 * sample / 10_000, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(light).isCloseTo(1000 * sample / 1900, org.assertj.core.data.Offset.offset(1e-9));
  }
}
