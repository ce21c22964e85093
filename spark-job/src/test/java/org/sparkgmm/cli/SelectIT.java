package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.Gmm;

/**
 * {@code gmm select} picks what scikit-learn's BIC picks over the same grid with the same start
 * (k-means, 10 starts per candidate). Reference: {@code select/make_select_reference.py}.
 */
class SelectIT {
  /** Our chosen candidate's BIC may differ from scikit-learn's by a different local optimum, at most this much. */
  private static final double SAME_OPTIMUM_BIC = 1e-3;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"faithful", "iris"})
  void picksScikitLearnsBestByBic(String set) throws Exception {
    JsonNode ref;
    try (InputStream in = SelectIT.class.getResourceAsStream("/select/" + set + ".json")) {
      ref = new ObjectMapper().readTree(in);
    }
    Path out = tmp.resolve("sel");
    Gmm.Run run = Gmm.run("select", "--input", Path.of("../conf/examples/" + set + ".csv").toString(), "--k", "1..6",
        "--covariance", "full,tied,diag,spherical", "--criterion", "bic", "--n-init", "10", "--output",
        out.toString()).ok();
    JsonNode selection = new ObjectMapper().readTree(out.resolve("selection.json").toFile());
    JsonNode best = selection.get("best");
    assertThat(best.get("k").asInt() + " " + best.get("covariance_type").asText()).as("chosen; output:\n%s", run.err())
        .isEqualTo(ref.get("best").get("k").asInt() + " " + ref.get("best").get("covariance_type").asText());
    double ours = 0.0;
    for (JsonNode c : selection.get("candidates")) {
      if (c.get("k").asInt() == best.get("k").asInt()
          && c.get("covariance_type").asText().equals(best.get("covariance_type").asText())) {
        ours = c.get("bic").asDouble();
      }
    }
    double theirs = ref.get("best").get("bic").asDouble();
    assertThat(Math.abs(ours - theirs)).as("BIC of the chosen candidate").isLessThan(SAME_OPTIMUM_BIC * Math.abs(theirs));
    assertThat(selection.get("candidates")).hasSize(24);

    List<String> csv = Files.readAllLines(out.resolve("selection.csv"));
    assertThat(csv.get(0)).isEqualTo("k,covariance_type,log_likelihood,mean_log_likelihood,n_parameters,bic,aic,"
        + "converged,n_iter");
    assertThat(csv).hasSize(25);

    Mixture model = Gmm.model(out);
    assertThat(model.components()).isEqualTo(best.get("k").asInt());
    assertThat(model.asGaussian().orElseThrow().covarianceType().externalName()).isEqualTo(best.get("covariance_type").asText());

    Path plot = out.resolve("selection.svg");
    assertThat(plot).exists();
    String svg = Files.readString(plot);
    assertThat(svg.strip()).startsWith("<?xml").contains("<svg").contains("BIC").contains("spherical").endsWith("</svg>");
    assertThat(svg.length()).isGreaterThan(5_000);
  }
}
