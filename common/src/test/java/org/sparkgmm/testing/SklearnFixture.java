package org.sparkgmm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;

/**
 * One data set of scikit-learn reference values ({@code sklearn/*.json}, written by
 * {@code sklearn/make_reference.py} beside them).
 */
public final class SklearnFixture {
  /** The data sets with references. */
  public static final List<String> DATASETS = List.of("iris", "faithful", "synthetic10");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final JsonNode root;

  private SklearnFixture(JsonNode root) {
    this.root = root;
  }

  /** Loads {@code sklearn/NAME.json} from the test class path. */
  public static SklearnFixture load(String name) {
    try (InputStream in = SklearnFixture.class.getResourceAsStream("/sklearn/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("Missing fixture sklearn/" + name + ".json");
      }
      return new SklearnFixture(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return root.get("dataset").asText();
  }

  public int maxIter() {
    return root.get("max_iter").asInt();
  }

  public double regCovar() {
    return root.get("reg_covar").asDouble();
  }

  public List<String> features() {
    List<String> f = new ArrayList<>();
    root.get("features").forEach(n -> f.add(n.asText()));
    return f;
  }

  public double[][] data() {
    return matrix(root.get("data"));
  }

  /** The data as one block. */
  public RowBlock block() {
    return RowBlock.fromRows(data(), null);
  }

  /** The start for a covariance type, as a model. */
  public Mixture initialModel(CovarianceType type) {
    return asModel(type, "init");
  }

  /** scikit-learn's fitted parameters for a covariance type, as a model. */
  public Mixture expectedModel(CovarianceType type) {
    return asModel(type, "result");
  }

  /** A scalar of scikit-learn's result ({@code n_iter, lower_bound, score, bic, aic}). */
  public double resultValue(CovarianceType type, String field) {
    return root.get("cases").get(type.externalName()).get("result").get(field).asDouble();
  }

  /** scikit-learn's fitted model for a covariance type as model.json text. */
  public String expectedModelJson(CovarianceType type) {
    return ModelJson.write(expectedModel(type));
  }

  /** The fitted model applied to the data by scikit-learn, row by row. */
  public record Predictions(int[] predict, double[][] predictProba, double[] scoreSamples) {}

  /** scikit-learn's {@code predict}, {@code predict_proba} and {@code score_samples} of the fitted model on the data. */
  public Predictions predictions(CovarianceType type) {
    JsonNode p = root.get("cases").get(type.externalName()).get("predictions");
    int[] predict = new int[p.get("predict").size()];
    for (int i = 0; i < predict.length; i++) {
      predict[i] = p.get("predict").get(i).asInt();
    }
    double[] score = new double[p.get("score_samples").size()];
    for (int i = 0; i < score.length; i++) {
      score[i] = p.get("score_samples").get(i).asDouble();
    }
    return new Predictions(predict, matrix(p.get("predict_proba")), score);
  }

  /** The start for a covariance type as model.json text. */
  public String initialModelJson(CovarianceType type) {
    return ModelJson.write(initialModel(type));
  }

  private Mixture asModel(CovarianceType type, String which) {
    JsonNode part = root.get("cases").get(type.externalName()).get(which);
    var json = MAPPER.createObjectNode();
    json.put("format", ModelJson.FORMAT);
    json.put("format_version", 1);
    json.put("covariance_type", type.externalName());
    json.put("n_components", root.get("n_components").asInt());
    json.put("n_features", root.get("features").size());
    json.set("features", root.get("features"));
    json.set("weights", part.get("weights"));
    json.set("means", part.get("means"));
    json.set("covariances", part.get("covariances"));
    return ModelJson.read(json.toString(), "sklearn/" + name() + ".json " + which);
  }

  /** A JSON array of number arrays as a matrix, row by row. */
  public static double[][] matrix(JsonNode node) {
    double[][] m = new double[node.size()][];
    for (int i = 0; i < m.length; i++) {
      JsonNode row = node.get(i);
      m[i] = new double[row.size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = row.get(j).asDouble();
      }
    }
    return m;
  }
}
