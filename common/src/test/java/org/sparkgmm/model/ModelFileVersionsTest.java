package org.sparkgmm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sparkgmm.component.Factor;
import org.sparkgmm.component.GaussianPart;
import org.sparkgmm.component.IndependentPart;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.distribution.CovarianceType;

/**
 * Golden files of every {@code model.json} version (resources {@code models/}): each reads into the
 * documented parameters, and writing what was read gives the same document.
 */
class ModelFileVersionsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String golden(String name) throws IOException {
    try (InputStream in = ModelFileVersionsTest.class.getResourceAsStream("/models/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void version1ReadsAndRewritesAsItself() throws IOException {
    String text = golden("v1-full.json");
    Mixture m = ModelJson.read(text, "v1-full.json");
    assertThat(m.asGaussian()).isPresent();
    assertThat(m.asGaussian().get().covarianceType()).isEqualTo(CovarianceType.FULL);
    assertThat(m.mean(1)).containsExactly(5.0, -2.0);
    assertThat(m.covariance(0)[0][1]).isEqualTo(0.5);
    assertThat(MAPPER.readTree(ModelJson.write(m))).isEqualTo(MAPPER.readTree(text));
  }

  @Test
  void version2ReadsIntoGroupsOfOneStructureAndRewritesAsItself() throws IOException {
    String text = golden("v2-mixed.json");
    Mixture m = ModelJson.read(text, "v2-mixed.json");
    assertThat(m.components()).isEqualTo(4);
    assertThat(m.groups()).hasSize(2);
    assertThat(m.groups().get(0).components()).isEqualTo(2);
    assertThat(((GaussianPart) m.groups().get(1).parts().get(0)).covarianceType()).isEqualTo(CovarianceType.TIED);
    IndependentPart second = (IndependentPart) m.groups().get(1).parts().get(1);
    assertThat(second.families()).containsExactly(UnivariateFamily.LOG_NORMAL, UnivariateFamily.EXPONENTIAL,
        UnivariateFamily.CATEGORICAL, UnivariateFamily.GAMMA, UnivariateFamily.BERNOULLI);
    assertThat(second.parameters(1, 3)).containsExactly(0.5, 3.0);
    assertThat(m.covariance(3)[0][1]).isEqualTo(-0.3);
    Factor.Univariate t = (Factor.Univariate) m.component(1).factors().get(4);
    assertThat(t.family()).isEqualTo(UnivariateFamily.STUDENT_T);
    assertThat(t.parameters()).containsExactly(-1.0, 0.5, 30.0);
    assertThat(MAPPER.readTree(ModelJson.write(m))).isEqualTo(MAPPER.readTree(text));
    // A zero category probability is kept, and its rows stay finite (floored in the kernel).
    double[] lp = m.logProbability(new double[][] {{0, 1, 3, 2, 0, 1, 0.5}});
    assertThat(lp[0]).isFinite();
  }

  @Test
  void brokenVersion2FilesNameTheField() throws IOException {
    String text = golden("v2-mixed.json");
    assertThatThrownBy(() -> ModelJson.read(text.replace("\"lambda\" : 2.5", "\"lambda\" : -2.5"), "m.json"))
        .hasMessage("m.json: components[0].parts[2]: poisson: lambda must be >= 0, got -2.5");
    assertThatThrownBy(() -> ModelJson.read(text.replace("\"feature\" : \"d\", \"family\" : \"poisson\"",
        "\"feature\" : \"q\", \"family\" : \"poisson\""), "m.json"))
        .hasMessage("m.json: \"components[0].parts[2]\" names feature \"q\", which is not in \"features\"");
    assertThatThrownBy(() -> ModelJson.read(text.replace("\"family\" : \"gamma\", \"shape\" : 2.0",
        "\"family\" : \"weibull\", \"shape\" : 2.0"), "m.json"))
        .hasMessageContaining("Unknown distribution 'weibull'");
    assertThatThrownBy(() -> ModelJson.read(text.replace("{ \"shared\" : 0 }", "{ \"shared\" : 3 }"), "m.json"))
        .hasMessageContaining("must be {\"shared\": i} with i an index into shared_covariances");
  }

  @Test
  void componentsWithOtherCategoriesFormTheirOwnGroup() throws IOException {
    String text = golden("v2-mixed.json").replace("\"probabilities\" : [ 0.5, 0.25, 0.25 ]",
        "\"probabilities\" : [ 0.5, 0.5 ]");
    Mixture m = ModelJson.read(text, "m.json");
    assertThat(m.groups()).hasSize(3);
    double[][] post = m.predictProba(new double[][] {{0, 1, 3, 2, 2, 1, 0.5}});
    // Code 2 is impossible for component 0, which knows only codes 0 and 1.
    assertThat(post[0][0]).isLessThan(1e-200);
    assertThat(post[0][1]).isGreaterThan(0.0);
  }
}
