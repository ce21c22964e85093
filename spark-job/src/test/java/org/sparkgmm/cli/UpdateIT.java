package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.Gmm;

/** {@code gmm update}: a fitted model updated with new rows. */
class UpdateIT {
  private static final List<String> X4 = List.of("x0", "x1", "x2", "x3");

  @TempDir
  Path tmp;

  /** Decay 0 equals a fit of the new rows started from the old model (1e-12); effective rows add up. */
  @Test
  void decayZeroIsAFitFromTheOldModel() throws Exception {
    Mixture truth = MissingFixtures.threeGaussians();
    Path old = Gmm.writeCsv(tmp.resolve("old.csv"), X4, truth.sample(3000, 1));
    Path fresh = Gmm.writeCsv(tmp.resolve("new.csv"), X4, truth.sample(2000, 2));
    Path fitted = tmp.resolve("fit");
    Gmm.run("fit", "--input", old.toString(), "--k", "3", "--output", fitted.toString()).ok();
    JsonNode modelFile = new ObjectMapper().readTree(fitted.resolve("model/model.json").toFile());
    assertThat(modelFile.get("effective_rows").asDouble()).isEqualTo(3000.0);

    Path updated = tmp.resolve("update0");
    Gmm.Run run = Gmm.run("update", "--model", fitted.toString(), "--input", fresh.toString(), "--decay", "0",
        "--output", updated.toString()).ok();
    assertThat(run.err()).contains("update: 2000 new rows").contains("new rows' mean log-likelihood");
    Path refit = tmp.resolve("refit");
    Gmm.run("fit", "--input", fresh.toString(), "--init-model", fitted.toString(), "--output", refit.toString()).ok();
    StepwiseEmIT.assertSameModel(Gmm.model(updated), Gmm.model(refit), 1e-12);
    JsonNode m = Gmm.metrics(updated);
    assertThat(m.get("command").asText()).isEqualTo("update");
    assertThat(m.get("update").get("effective_rows").asDouble()).isEqualTo(2000.0);

    Path half = tmp.resolve("half");
    Gmm.run("update", "--model", fitted.toString(), "--input", fresh.toString(), "--half-life", "1", "--output",
        half.toString()).ok();
    JsonNode h = Gmm.metrics(half).get("update");
    assertThat(h.get("decay").asDouble()).isEqualTo(0.5);
    assertThat(h.get("effective_rows").asDouble()).isCloseTo(0.5 * 3000 + 2000, within(1e-9));
    assertThat(new ObjectMapper().readTree(half.resolve("model/model.json").toFile()).get("effective_rows").asDouble())
        .isCloseTo(3500.0, within(1e-9));
  }

  /** New rows that repeat the old data leave a converged model where it is (1e-6). */
  @Test
  void repeatingTheOldDataLeavesTheModelInPlace() throws Exception {
    Path old = Gmm.writeCsv(tmp.resolve("old.csv"), X4, MissingFixtures.threeGaussians().sample(3000, 3));
    Path fitted = tmp.resolve("fit");
    Gmm.run("fit", "--input", old.toString(), "--k", "3", "--tol", "1e-13", "--max-iter", "2000", "--output",
        fitted.toString()).ok();
    Path updated = tmp.resolve("update");
    Gmm.run("update", "--model", fitted.toString(), "--input", old.toString(), "--output", updated.toString()).ok();
    StepwiseEmIT.assertSameModel(Gmm.model(updated), Gmm.model(fitted), 1e-6);
    assertThat(Gmm.metrics(updated).get("update").get("effective_rows").asDouble()).isEqualTo(6000.0);
  }

  /** A model file without effective_rows needs --model-rows (or decay 0); bad values are usage errors. */
  @Test
  void aModelWithoutEvidenceNeedsItsRowsSaid() throws Exception {
    Mixture truth = MissingFixtures.threeGaussians();
    Path model = Files.writeString(tmp.resolve("given.json"), ModelJson.write(truth));
    Path data = Gmm.writeCsv(tmp.resolve("data.csv"), X4, truth.sample(500, 4));
    Gmm.Run refused = Gmm.run("update", "--model", model.toString(), "--input", data.toString(), "--output",
        tmp.resolve("u1").toString());
    assertThat(refused.status()).isEqualTo(3);
    assertThat(refused.err()).contains("effective_rows").contains("--model-rows");
    assertThat(Gmm.listAll(tmp.resolve("u1"))).isEmpty();
    Gmm.run("update", "--model", model.toString(), "--input", data.toString(), "--model-rows", "10000", "--output",
        tmp.resolve("u2").toString()).ok();
    Mixture moved = Gmm.model(tmp.resolve("u2"));
    // 10,000 rows of evidence against 500 new ones: the weights barely move.
    assertThat(moved.weights()).containsExactly(truth.weights(), within(0.01));
    Gmm.Run both = Gmm.run("update", "--model", model.toString(), "--input", data.toString(), "--decay", "0.5",
        "--half-life", "2", "--output", tmp.resolve("u3").toString());
    assertThat(both.status()).isEqualTo(2);
    Gmm.Run decay = Gmm.run("update", "--model", model.toString(), "--input", data.toString(), "--decay", "1.5",
        "--output", tmp.resolve("u4").toString());
    assertThat(decay.status()).isEqualTo(2);
    assertThat(decay.err()).contains("--decay");
  }
}
