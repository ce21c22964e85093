package org.sparkgmm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sparkgmm.testing.Tolerances.flat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.testing.SklearnFixture;

class ModelJsonTest {
  private static final SklearnFixture IRIS = SklearnFixture.load("iris");

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void roundTripIsExact(CovarianceType type) {
    Mixture model = IRIS.expectedModel(type);
    Mixture back = ModelJson.read(ModelJson.write(model), "test");
    assertThat(back.asGaussian().orElseThrow().covarianceType()).isEqualTo(type);
    assertThat(back.weights()).containsExactly(model.weights());
    assertThat(flat(back.means())).containsExactly(flat(model.means()));
    assertThat(back.asGaussian().orElseThrow().covarianceValues()).containsExactly(model.asGaussian().orElseThrow().covarianceValues());
    assertThat(back.features()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
  }

  @Test
  void writesScikitLearnShapesAndTheFormatHeader() {
    String json = ModelJson.write(IRIS.expectedModel(CovarianceType.SPHERICAL));
    assertThat(json).contains("\"format\" : \"spark-gmm-model\"", "\"format_version\" : 1",
        "\"covariance_type\" : \"spherical\"", "\"n_components\" : 3", "\"n_features\" : 4");
  }

  @Test
  void unknownVersionIsRefusedWithTheCure() {
    String json = ModelJson.write(IRIS.expectedModel(CovarianceType.DIAG)).replace("\"format_version\" : 1",
        "\"format_version\" : 99");
    assertThatThrownBy(() -> ModelJson.read(json, "m.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("m.json has format_version 99, this build reads versions 1 to 2: use a spark-gmm release that knows it");
  }

  @Test
  void wrongShapeNamesTheField() {
    String json = ModelJson.write(IRIS.expectedModel(CovarianceType.DIAG)).replace("\"n_features\" : 4",
        "\"n_features\" : 5");
    assertThatThrownBy(() -> ModelJson.read(json, "m.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("m.json: \"features\" must be an array of 5 entries, got 4");
  }

  @Test
  void notAModelIsRefused() {
    assertThatThrownBy(() -> ModelJson.read("{\"a\": 1}", "x.json"))
        .hasMessage("x.json is not a spark-gmm model (\"format\" is not \"spark-gmm-model\")");
    assertThatThrownBy(() -> ModelJson.read("[1, 2", "x.json")).hasMessageStartingWith("x.json is not valid JSON");
  }
}
