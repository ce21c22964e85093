package org.sparkgmm.cli;

import static org.sparkgmm.testing.Tolerances.SKLEARN_EM;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SklearnFixture;

/**
 * Acceptance: {@code gmm fit --init-model START --tol 0 --max-iter 20} gives scikit-learn's
 * GaussianMixture parameters from the same start (weights_init/means_init/precisions_init), for
 * every covariance type on iris, Old Faithful and a 10-D set. Values: common's
 * {@code sklearn/make_reference.py}.
 */
class SklearnAgreementIT {
  @TempDir
  Path tmp;

  static Stream<Arguments> cases() {
    return SklearnFixture.DATASETS.stream()
        .flatMap(name -> Stream.of(CovarianceType.values()).map(type -> Arguments.of(name, type)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void fitFromTheSameStartEqualsScikitLearn(String name, CovarianceType type) throws Exception {
    SklearnFixture fx = SklearnFixture.load(name);
    Path csv = Gmm.writeCsv(tmp.resolve(name + ".csv"), fx.features(), fx.data());
    Path start = Files.writeString(tmp.resolve("start.json"), fx.initialModelJson(type));
    Path out = tmp.resolve("out");

    Gmm.run("fit", "--input", csv.toString(), "--init-model", start.toString(), "--tol", "0", "--max-iter",
        String.valueOf(fx.maxIter()), "--reg-covar", String.valueOf(fx.regCovar()),
        "--reg-covar-scale", "absolute", "--partitions", "2",
        "--output", out.toString()).ok();

    Mixture actual = Gmm.model(out);
    Mixture expected = fx.expectedModel(type);
    assertRelClose(actual.weights(), expected.weights(), SKLEARN_EM, "weights");
    assertRelClose(flat(actual.means()), flat(expected.means()), SKLEARN_EM, "means");
    assertRelClose(actual.asGaussian().orElseThrow().covarianceValues(), expected.asGaussian().orElseThrow().covarianceValues(), SKLEARN_EM,
        "covariances");
    var metrics = Gmm.metrics(out);
    assertRelClose(new double[] {metrics.get("mean_log_likelihood").asDouble(), metrics.get("bic").asDouble(),
        metrics.get("aic").asDouble()}, new double[] {fx.resultValue(type, "score"), fx.resultValue(type, "bic"),
        fx.resultValue(type, "aic")}, SKLEARN_EM, "score, bic, aic");
    org.assertj.core.api.Assertions.assertThat(metrics.get("n_iter").asInt()).isEqualTo(fx.maxIter());
  }
}
