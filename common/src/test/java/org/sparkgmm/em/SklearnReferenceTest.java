package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.SKLEARN_EM;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.select.InformationCriteria;
import org.sparkgmm.testing.LocalEm;
import org.sparkgmm.testing.SklearnFixture;

/** 20 EM iterations from scikit-learn's start give scikit-learn's parameters (sklearn/make_reference.py). */
class SklearnReferenceTest {

  static Stream<Arguments> cases() {
    return SklearnFixture.DATASETS.stream()
        .flatMap(name -> Stream.of(CovarianceType.values()).map(type -> Arguments.of(name, type)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void twentyIterationsMatchScikitLearn(String name, CovarianceType type) {
    SklearnFixture fx = SklearnFixture.load(name);
    FitResult fit = LocalEm.fit(LocalEm.split(fx.block(), 64), fx.initialModel(type),
        new EmOptions(fx.maxIter(), 0.0, fx.regCovar()));

    Mixture expected = fx.expectedModel(type);
    assertThat(fit.iterations()).isEqualTo((int) fx.resultValue(type, "n_iter"));
    assertThat(fit.converged()).isFalse();
    assertThat(fit.history()).hasSize(fx.maxIter());
    assertModelClose(fit.model(), expected, SKLEARN_EM);
    // The last history entry is the model before the last M-step: scikit-learn's lower_bound_.
    assertRelClose(new double[] {fit.history().get(fx.maxIter() - 1)},
        new double[] {fx.resultValue(type, "lower_bound")}, SKLEARN_EM, "lower bound");
    assertRelClose(new double[] {fit.meanLogLikelihood()}, new double[] {fx.resultValue(type, "score")},
        SKLEARN_EM, "score");
    double bic = InformationCriteria.bic(fit.meanLogLikelihood(), fit.weightSum(), fit.model().parameterCount());
    double aic = InformationCriteria.aic(fit.meanLogLikelihood(), fit.weightSum(), fit.model().parameterCount());
    assertRelClose(new double[] {bic, aic}, new double[] {fx.resultValue(type, "bic"), fx.resultValue(type, "aic")},
        SKLEARN_EM, "bic, aic");
  }

  static void assertModelClose(Mixture actual, Mixture expected, double rel) {
    assertRelClose(actual.weights(), expected.weights(), rel, "weights");
    assertRelClose(flat(actual.means()), flat(expected.means()), rel, "means");
    for (int c = 0; c < expected.components(); c++) {
      assertRelClose(flat(actual.asGaussian().orElseThrow().covarianceMatrix(c)), flat(expected.asGaussian().orElseThrow().covarianceMatrix(c)),
          rel, "covariance " + c);
    }
    assertThat(actual.features()).isEqualTo(expected.features());
    assertThat(List.of(actual.asGaussian().orElseThrow().covarianceType())).containsExactly(expected.asGaussian().orElseThrow().covarianceType());
  }
}
