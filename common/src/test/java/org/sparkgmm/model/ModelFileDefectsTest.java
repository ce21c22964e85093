package org.sparkgmm.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every defect of a model file is refused with a message naming the file and the field: truncated
 * files, wrong shapes, numbers that are not finite, a covariance that is not positive definite,
 * weights that do not sum to 1, an unknown family, kind or version; in both format versions.
 */
class ModelFileDefectsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String v2() {
    try (var in = ModelFileDefectsTest.class.getResourceAsStream("/models/v2-mixed.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A full Gaussian model as fit writes it (format version 2). */
  private static String gaussian() {
    return ModelJson.write(Mixture.gaussian(new double[] {0.3, 0.7}, org.sparkgmm.distribution.Gaussians.of(
        org.sparkgmm.distribution.CovarianceType.FULL, new double[][] {{0, 0}, {3, 1}},
        new double[] {1, 0.2, 0.2, 1, 2, 0, 0, 2}), java.util.List.of("x", "y")));
  }

  private static String edit(String json, Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(json);
      change.accept(root);
      return JSON.writeValueAsString(root);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 1e999: valid JSON, and infinite as a double. */
  private static String huge(String json) {
    return json.replace("123456.789", "1e999");
  }

  private static ObjectNode part(ObjectNode root, int c, int p) {
    return (ObjectNode) root.get("components").get(c).get("parts").get(p);
  }

  static Stream<Arguments> defects() {
    String g = gaussian();
    String m = v2();
    return Stream.of(
        Arguments.of("truncated", g.substring(0, g.length() / 2), "is not valid JSON"),
        Arguments.of("truncated general", m.substring(0, m.length() - 40), "is not valid JSON"),
        Arguments.of("empty file", "", "m.json is empty"),
        Arguments.of("weights too short", edit(g, r -> ((ArrayNode) r.get("weights")).remove(1)),
            "\"weights\" must be an array of 2 entries, got 1"),
        Arguments.of("weights do not sum to 1", edit(g, r -> ((ArrayNode) r.get("weights")).set(1, 0.5)),
            "\"weights\" must sum to 1"),
        Arguments.of("negative weight", edit(g, r -> {
          ((ArrayNode) r.get("weights")).set(0, -0.5);
          ((ArrayNode) r.get("weights")).set(1, 1.5);
        }), "\"weights\"[0] is -0.5, must be >= 0"),
        Arguments.of("infinite weight", huge(edit(g, r -> ((ArrayNode) r.get("weights")).set(0, 123456.789))),
            "\"weights\"[0] is not finite"),
        Arguments.of("weight a string", edit(g, r -> ((ArrayNode) r.get("weights")).set(0, "0.3")),
            "\"weights\"[0] is not a number"),
        Arguments.of("mean of wrong length", edit(g, r -> ((ArrayNode) r.get("means").get(0)).add(1.0)),
            "\"means[0]\" must be an array of 2 entries, got 3"),
        Arguments.of("infinite mean", huge(edit(g, r -> ((ArrayNode) r.get("means").get(1)).set(0, 123456.789))),
            "\"means[1]\"[0] is not finite"),
        Arguments.of("covariance not square", edit(g, r -> ((ArrayNode) r.get("covariances").get(0).get(1)).add(0.0)),
            "\"covariances[0][1]\" must be an array of 2 entries, got 3"),
        Arguments.of("covariance not positive definite", edit(g, r -> {
          ArrayNode cov = (ArrayNode) r.get("covariances").get(0);
          ((ArrayNode) cov.get(0)).set(1, 3.0);
          ((ArrayNode) cov.get(1)).set(0, 3.0);
        }), "\"covariances[0]\" is not positive definite"),
        Arguments.of("covariance not symmetric", edit(g, r -> ((ArrayNode) r.get("covariances").get(0).get(0))
            .set(1, 0.9)), "\"covariances[0]\" is not symmetric"),
        Arguments.of("general: mean of wrong length", edit(m, r -> ((ArrayNode) part(r, 0, 0).get("mean")).add(1.0)),
            "components[0].parts[0].mean\" must be an array of 2 entries, got 3"),
        Arguments.of("general: infinite mean", huge(edit(m, r -> ((ArrayNode) part(r, 1, 0).get("mean"))
            .set(0, 123456.789))), "components[1].parts[0].mean\"[0] is not finite"),
        Arguments.of("general: covariance not positive definite", edit(m, r -> {
          ArrayNode cov = (ArrayNode) part(r, 0, 0).get("covariance");
          ((ArrayNode) cov.get(0)).set(1, 3.0);
          ((ArrayNode) cov.get(1)).set(0, 3.0);
        }), "\"components[0].parts[0].covariance\" is not positive definite"),
        Arguments.of("general: infinite variance", huge(edit(m, r -> part(r, 0, 1).put("variance", 123456.789))),
            "components[0].parts[1].variance\" is not finite"),
        Arguments.of("general: weights do not sum to 1", edit(m, r -> ((ArrayNode) r.get("weights")).set(0, 0.5)),
            "\"weights\" must sum to 1"),
        Arguments.of("unknown family", edit(m, r -> part(r, 0, 1).put("family", "banana")), "banana"),
        Arguments.of("unknown kind", edit(m, r -> part(r, 0, 1).put("kind", "spline")),
            "components[0].parts[1].kind\" is \"spline\""),
        Arguments.of("negative variance", edit(m, r -> part(r, 0, 1).put("variance", -4.0)),
            "components[0].parts[1]"),
        Arguments.of("probabilities not summing to 1", edit(m, r -> ((ArrayNode) part(r, 0, 3).get("probabilities"))
            .set(0, 0.9)), "components[0].parts[3]"),
        Arguments.of("unknown version", edit(g, r -> r.put("format_version", 7)), "format_version 7"),
        Arguments.of("no version", edit(g, r -> r.remove("format_version")), "has no integer format_version"),
        Arguments.of("wrong n_components", edit(g, r -> r.put("n_components", 3)),
            "\"weights\" must be an array of 3 entries, got 2"),
        Arguments.of("missing covariances", edit(g, r -> r.remove("covariances")), "missing field \"covariances\""),
        Arguments.of("general: missing components", edit(m, r -> r.remove("components")),
            "missing field \"components\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defects")
  void isRefusedNamingTheField(String defect, String json, String message) {
    assertThatThrownBy(() -> ModelJson.read(json, "m.json")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("m.json").hasMessageContaining(message);
  }
}
