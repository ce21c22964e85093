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
 * {@code gmm select} with its default settings picks the lowest BIC that scikit-learn (k-means
 * starts, n_init=10) or R's mclust (hierarchical agglomeration) find over the same grid, and
 * reaches that BIC. Reference: {@code select/make_select_reference.py}.
 */
class SelectIT {
  /** Our chosen candidate's BIC may be above the best known by this much (relative): EM stops at --tol 1e-3 per row. */
  private static final double SAME_OPTIMUM_BIC = 1e-3;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"faithful", "iris"})
  void picksTheBestKnownBicWithItsDefaults(String set) throws Exception {
    JsonNode ref;
    try (InputStream in = SelectIT.class.getResourceAsStream("/select/" + set + ".json")) {
      ref = new ObjectMapper().readTree(in);
    }
    Path out = tmp.resolve("sel");
    Gmm.Run run = Gmm.run("select", "--input", Path.of("../conf/examples/" + set + ".csv").toString(), "--k", "1..6",
        "--covariance", "full,tied,diag,spherical", "--criterion", "bic", "--output", out.toString()).ok();
    JsonNode selection = new ObjectMapper().readTree(out.resolve("selection.json").toFile());
    JsonNode best = selection.get("best");
    assertThat(best.get("k").asInt() + " " + best.get("covariance_type").asText()).as("chosen; output:\n%s", run.err())
        .isEqualTo(ref.get("best_known").get("k").asInt() + " " + ref.get("best_known").get("covariance_type").asText());
    double ours = 0.0;
    for (JsonNode c : selection.get("candidates")) {
      if (c.get("k").asInt() == best.get("k").asInt()
          && c.get("covariance_type").asText().equals(best.get("covariance_type").asText())) {
        ours = c.get("bic").asDouble();
      }
    }
    double theirs = ref.get("best_known").get("bic").asDouble();
    assertThat(ours).as("BIC of the chosen candidate vs the best known").isLessThan(theirs + SAME_OPTIMUM_BIC * Math.abs(theirs));
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
