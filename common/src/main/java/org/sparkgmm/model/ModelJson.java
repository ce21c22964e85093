package org.sparkgmm.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.distribution.Gaussians;

/**
 * The one owner of the {@code model.json} layout, a public contract. A Gaussian mixture (one
 * Gaussian over every feature, any covariance type) is written as version 1, so that every reader
 * of version 1 keeps reading it; any other mixture as version 2. Both are read forever.
 *
 * <p>Common fields: {@code format} (always {@code "spark-gmm-model"}); {@code format_version};
 * {@code n_components} k and {@code n_features} d; {@code features}, d column names in the order of
 * every vector below; {@code weights} [k], summing to 1.
 *
 * <p>Version 1 adds {@code covariance_type} ({@code full | tied | diag | spherical}),
 * {@code means} [k][d] and {@code covariances} in scikit-learn's {@code covariances_} shapes: full
 * [k][d][d], tied [d][d], diag [k][d], spherical [k].
 *
 * <p>Version 2 adds {@code components}, k objects each with {@code parts}: a list of parts over
 * disjoint features that together cover all d:
 * <ul>
 *   <li>{@code {"kind":"gaussian","features":[names],"covariance_type":T,"mean":[p],"covariance":C}}
 *       with C [p][p] (full), [p] (diag), a number (spherical) or {@code {"shared":i}} (tied: entry i
 *       of the top-level {@code shared_covariances}, each [p][p]);
 *   <li>{@code {"kind":"univariate","feature":name,"family":F, ...}} with the parameters of
 *       {@link UnivariateFamily} under their names ({@code "probabilities":[L]} for categorical).
 * </ul>
 * and, when categorical features were read from string columns, {@code categories}: an object from
 * each such feature's name to its labels in code order.
 * Components with the same structure that follow each other form one component group when read
 * (one kernel call for all of them); tied parts form one group per shared covariance.
 *
 * {@code effective_rows} (optional, written by {@link #write(Mixture, double)}): the row weight behind the model.
 * Unknown extra fields are ignored, so later minor additions stay readable by this version.
 */
public final class ModelJson {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "spark-gmm-model";
  /** The highest version this build writes (version 1 for Gaussian mixtures). */
  public static final int FORMAT_VERSION = 2;
  /** The oldest version this build reads. */
  public static final int OLDEST_READABLE_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelJson() {}

  /** Serialises a model: version 1 for a Gaussian mixture, else version 2. */
  public static String write(Mixture model) {
    return toText(node(model));
  }

  /**
   * Serialises a model with {@code effective_rows}, the weight of the data behind it (what
   * {@code gmm update} weighs the model's evidence by against new rows).
   *
   * @throws IllegalArgumentException if {@code effectiveRows} is not finite and positive
   */
  public static String write(Mixture model, double effectiveRows) {
    if (!(effectiveRows > 0.0) || Double.isInfinite(effectiveRows)) {
      throw new IllegalArgumentException("effective_rows must be finite and > 0, got " + effectiveRows);
    }
    ObjectNode root = node(model);
    root.put("effective_rows", effectiveRows);
    return toText(root);
  }

  /**
   * The {@code effective_rows} of a model file (NaN when it has none: files written before it, or
   * models given by hand).
   *
   * @throws IllegalArgumentException naming the source when the field is there but not a positive number
   */
  public static double effectiveRows(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode v = root == null ? null : root.get("effective_rows");
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (!v.isNumber() || !(v.asDouble() > 0.0) || Double.isInfinite(v.asDouble())) {
      throw new IllegalArgumentException(source + ": effective_rows must be a positive number, got " + v);
    }
    return v.asDouble();
  }

  private static ObjectNode node(Mixture model) {
    return model.asGaussian().isPresent() ? writeVersion1(model, model.asGaussian().get())
        : ModelJsonV2.write(MAPPER.createObjectNode(), model);
  }

  private static ObjectNode writeVersion1(Mixture model, Gaussians gaussians) {
    ObjectNode root = MAPPER.createObjectNode();
    int k = model.components();
    int d = model.dimension();
    CovarianceType type = gaussians.covarianceType();
    root.put("format", FORMAT);
    root.put("format_version", 1);
    root.put("covariance_type", type.externalName());
    root.put("n_components", k);
    root.put("n_features", d);
    ArrayNode features = root.putArray("features");
    model.features().forEach(features::add);
    addVector(root.putArray("weights"), model.weights());
    ArrayNode means = root.putArray("means");
    for (double[] m : model.means()) {
      addVector(means.addArray(), m);
    }
    double[] cov = gaussians.covarianceValues();
    ArrayNode covariances = root.putArray("covariances");
    switch (type) {
      case FULL -> {
        for (int c = 0; c < k; c++) {
          addMatrix(covariances.addArray(), cov, c * d * d, d);
        }
      }
      case TIED -> addMatrix(covariances, cov, 0, d);
      case DIAG -> {
        for (int c = 0; c < k; c++) {
          ArrayNode row = covariances.addArray();
          for (int j = 0; j < d; j++) {
            row.add(cov[c * d + j]);
          }
        }
      }
      case SPHERICAL -> addVector(covariances, cov);
      default -> throw new IllegalStateException("Unhandled covariance type " + type);
    }
    return root;
  }

  private static String toText(ObjectNode root) {
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise the model", e);
    }
  }

  /**
   * Parses {@code model.json}, checking the format and version first, then every shape.
   *
   * @param source where the text came from, used in error messages
   * @throws IllegalArgumentException naming the source and the problem, for unknown versions,
   *     missing fields, wrong shapes or invalid parameters
   */
  public static Mixture read(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException(source + " is empty");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(source + " is not a JSON object");
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(source + " is not a spark-gmm model (\"format\" is not \"" + FORMAT + "\")");
    }
    JsonNode version = root.get("format_version");
    if (version == null || !version.canConvertToInt()) {
      throw new IllegalArgumentException(source + " has no integer format_version");
    }
    int v = version.asInt();
    if (v < OLDEST_READABLE_VERSION || v > FORMAT_VERSION) {
      throw new IllegalArgumentException(source + " has format_version " + v + ", this build reads versions "
          + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION + ": use a spark-gmm release that knows it");
    }
    try {
      if (v == 2) {
        return ModelJsonV2.read(root);
      }
      CovarianceType type = CovarianceType.fromName(requireField(root, "covariance_type").asText());
      int k = requireField(root, "n_components").asInt();
      int d = requireField(root, "n_features").asInt();
      if (k < 1 || d < 1) {
        throw new IllegalArgumentException("n_components and n_features must be >= 1, got " + k + " and " + d);
      }
      List<String> features = new ArrayList<>();
      JsonNode names = root.path("features");
      if (!names.isMissingNode()) {
        expectArray(names, "features", d);
        names.forEach(n -> features.add(n.asText()));
      }
      double[] weights = weights(root, k);
      double[][] means = new double[k][];
      JsonNode meansNode = requireField(root, "means");
      expectArray(meansNode, "means", k);
      for (int c = 0; c < k; c++) {
        means[c] = vector(meansNode.get(c), "means[" + c + "]", d);
      }
      double[] cov = covariances(requireField(root, "covariances"), type, k, d);
      return Mixture.gaussian(weights, Gaussians.of(type, means, cov), features);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  static double[] covariances(JsonNode node, CovarianceType type, int k, int d) {
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    switch (type) {
      case FULL -> {
        expectArray(node, "covariances", k);
        for (int c = 0; c < k; c++) {
          readMatrix(node.get(c), "covariances[" + c + "]", d, cov, c * d * d);
          checkCovariance(cov, c * d * d, d, "covariances[" + c + "]");
        }
      }
      case TIED -> {
        readMatrix(node, "covariances", d, cov, 0);
        checkCovariance(cov, 0, d, "covariances");
      }
      case DIAG -> {
        expectArray(node, "covariances", k);
        for (int c = 0; c < k; c++) {
          double[] v = vector(node.get(c), "covariances[" + c + "]", d);
          checkVariances(v, "covariances[" + c + "]");
          System.arraycopy(v, 0, cov, c * d, d);
        }
      }
      case SPHERICAL -> {
        double[] v = vector(node, "covariances", k);
        checkVariances(v, "covariances");
        System.arraycopy(v, 0, cov, 0, k);
      }
      default -> throw new IllegalStateException("Unhandled covariance type " + type);
    }
    return cov;
  }

  static void readMatrix(JsonNode node, String what, int d, double[] into, int offset) {
    expectArray(node, what, d);
    for (int a = 0; a < d; a++) {
      double[] row = vector(node.get(a), what + "[" + a + "]", d);
      for (int b = 0; b < d; b++) {
        into[offset + b * d + a] = row[b];
      }
    }
  }

  static JsonNode requireField(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("missing field \"" + field + "\"");
    }
    return n;
  }

  static void expectArray(JsonNode node, String what, int length) {
    if (node == null || !node.isArray() || node.size() != length) {
      throw new IllegalArgumentException(
          "\"" + what + "\" must be an array of " + length + " entries"
              + (node != null && node.isArray() ? ", got " + node.size() : ""));
    }
  }

  static double[] vector(JsonNode node, String what, int length) {
    expectArray(node, what, length);
    double[] v = new double[length];
    for (int i = 0; i < length; i++) {
      JsonNode x = node.get(i);
      if (!x.isNumber()) {
        throw new IllegalArgumentException("\"" + what + "\"[" + i + "] is not a number: " + x);
      }
      v[i] = x.asDouble();
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException("\"" + what + "\"[" + i + "] is not finite: " + x);
      }
    }
    return v;
  }

  /** The mixture weights: k finite numbers >= 0 that sum to 1 (to 1e-6). */
  static double[] weights(JsonNode root, int k) {
    double[] w = vector(requireField(root, "weights"), "weights", k);
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      if (w[c] < 0.0) {
        throw new IllegalArgumentException("\"weights\"[" + c + "] is " + w[c] + ", must be >= 0");
      }
      sum += w[c];
    }
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException("\"weights\" must sum to 1, they sum to " + sum);
    }
    return w;
  }

  /**
   * Refuses a covariance matrix ({@code d x d}, as read) that is not symmetric (to 1e-9 of its
   * scale) or not positive definite (its Cholesky factorisation fails), naming {@code what}.
   */
  static void checkCovariance(double[] m, int offset, int d, String what) {
    double scale = 0.0;
    for (int i = 0; i < d; i++) {
      scale = Math.max(scale, Math.abs(m[offset + i * d + i]));
    }
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double a = m[offset + i * d + j];
        if (Math.abs(a - m[offset + j * d + i]) > 1e-9 * scale) {
          throw new IllegalArgumentException("\"" + what + "\" is not symmetric: [" + i + "][" + j + "] is " + a
              + ", [" + j + "][" + i + "] is " + m[offset + j * d + i]);
        }
        double sum = a;
        for (int p = 0; p < j; p++) {
          sum -= l[i * d + p] * l[j * d + p];
        }
        if (i == j) {
          if (!(sum > 0.0)) {
            throw new IllegalArgumentException("\"" + what + "\" is not positive definite");
          }
          l[i * d + i] = Math.sqrt(sum);
        } else {
          l[i * d + j] = sum / l[j * d + j];
        }
      }
    }
  }

  /** Refuses variances that are not > 0, naming {@code what}. */
  static void checkVariances(double[] v, String what) {
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] > 0.0)) {
        throw new IllegalArgumentException("\"" + what + "\"[" + i + "] is " + v[i] + ", must be > 0");
      }
    }
  }

  static void addVector(ArrayNode into, double[] values) {
    for (double x : values) {
      into.add(x);
    }
  }

  static void addMatrix(ArrayNode into, double[] columnMajor, int offset, int d) {
    for (int a = 0; a < d; a++) {
      ArrayNode row = into.addArray();
      for (int b = 0; b < d; b++) {
        row.add(columnMajor[offset + b * d + a]);
      }
    }
  }
}
