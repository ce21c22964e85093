package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sparkgmm.testing.Tolerances.CLOSED_FORM;
import static org.sparkgmm.testing.Tolerances.assertRelClose;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.testing.LocalEm;

/** The M-step's parameter mask, its re-seeding policy and the semi-supervised E-step. */
class MStepTest {
  private static final double[][] ROWS = {{0.0, 0.0}, {1.0, 0.5}, {0.5, 1.0}, {10.0, 10.0}, {11.0, 9.0}, {9.5, 10.8}};

  private static Mixture twoComponents(double[][] means) {
    double[] cov = {1, 0, 0, 1, 2, 0, 0, 2};
    return Mixture.gaussian(new double[] {0.3, 0.7}, Gaussians.of(CovarianceType.FULL, means, cov), List.of());
  }

  @Test
  void heldParametersKeepTheirValuesAndFixedMeansCentreTheCovariance() {
    Mixture start = twoComponents(new double[][] {{0.5, 0.5}, {10.0, 10.0}});
    MixtureStatistics s = LocalEm.statistics(List.of(RowBlock.fromRows(ROWS, null)), start).statistics();
    Mixture all = MStep.update(start, s, 0.0);
    Mixture covOnly = MStep.update(start, s, 0.0, EnumSet.of(Parameter.COVARIANCES), 0.0, List.of())
        .model();
    assertThat(covOnly.weights()).containsExactly(start.weights());
    assertThat(covOnly.means()).isDeepEqualTo(start.means());
    // Second moment about the fixed mean = ML covariance + (mean shift)(mean shift)^T.
    double[][] shift = new double[2][2];
    for (int c = 0; c < 2; c++) {
      for (int j = 0; j < 2; j++) {
        shift[c][j] = all.means()[c][j] - start.means()[c][j];
      }
    }
    double[] expected = all.asGaussian().orElseThrow().covarianceValues();
    for (int c = 0; c < 2; c++) {
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          expected[c * 4 + b * 2 + a] += shift[c][a] * shift[c][b];
        }
      }
    }
    assertRelClose(covOnly.asGaussian().orElseThrow().covarianceValues(), expected, CLOSED_FORM, "covariances about fixed means");
    Mixture weightsOnly = MStep.update(start, s, 0.0, EnumSet.of(Parameter.WEIGHTS), 0.0, List.of())
        .model();
    assertThat(weightsOnly.weights()).containsExactly(all.weights());
    assertThat(weightsOnly.asGaussian().orElseThrow().covarianceValues()).containsExactly(start.asGaussian().orElseThrow().covarianceValues());
  }

  @Test
  void aCollapsedComponentMovesToTheGivenRowWithThePooledCovariance() {
    Mixture start = Mixture.gaussian(new double[] {0.4, 0.4, 0.2},
        Gaussians.of(CovarianceType.DIAG, new double[][] {{0.5, 0.5}, {10.0, 10.0}, {500.0, 500.0}},
            new double[] {1, 1, 2, 2, 1, 1}), List.of());
    EmAccumulator acc = LocalEm.statistics(List.of(RowBlock.fromRows(ROWS, null)), start);
    assertThat(acc.statistics().mass(2)).isZero();
    MStep.Result r = MStep.update(start, acc.statistics(), 1e-6, EnumSet.allOf(Parameter.class), 1e-3,
        acc.worstExplainedRows());
    assertThat(r.reseeded()).containsExactly(2);
    Mixture m = r.model();
    assertThat(m.means()[2]).containsExactly(acc.worstExplainedRows().get(0));
    assertThat(m.weights()[2]).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(m.weights()[0] + m.weights()[1]).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
    double[] cov = m.asGaussian().orElseThrow().covarianceValues();
    for (int j = 0; j < 2; j++) {
      double pooled = (acc.statistics().mass(0) * cov[j] + acc.statistics().mass(1) * cov[2 + j]) / 6.0;
      assertThat(cov[4 + j]).isCloseTo(pooled, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThatThrownBy(() -> MStep.update(start, acc.statistics(), 1e-6)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Component 2 received no responsibility");
  }

  @Test
  void labelledRowsKeepTheirComponentInTheEStep() {
    Mixture start = twoComponents(new double[][] {{0.5, 0.5}, {10.0, 10.0}});
    // Row 0 sits in component 0's cloud but is labelled 1; rows 4 and 5 are free.
    RowBlock block = RowBlock.fromRows(ROWS, null).withLabels(new int[] {1, 0, 0, 1, -1, -1});
    EmAccumulator acc = LocalEm.statistics(List.of(block), start);
    MixtureStatistics s = acc.statistics();
    assertThat(s.mass(0)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.mass(1)).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-12));
    double[] lw = start.logWeights();
    double[] logDensity = new double[6 * 2];
    start.asGaussian().orElseThrow().logDensities(RowBlock.fromRows(ROWS, null), logDensity, new double[start.asGaussian().orElseThrow().scratchSize(6)]);
    double objective = lw[1] + logDensity[6] + lw[0] + logDensity[1] + lw[0] + logDensity[2] + lw[1] + logDensity[9];
    for (int i = 4; i < 6; i++) {
      objective += Math.log(Math.exp(lw[0] + logDensity[i]) + Math.exp(lw[1] + logDensity[6 + i]));
    }
    assertThat(acc.logLikelihood()).isCloseTo(objective, org.assertj.core.data.Offset.offset(1e-9));
    EmAccumulator free = LocalEm.statistics(List.of(RowBlock.fromRows(ROWS, null)), start);
    assertThat(free.statistics().mass(1)).isLessThan(3.5);
  }
}
