package org.sparkgmm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.Factor;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.distribution.CovarianceType;

/** Version 2 of {@code model.json} (general mixtures), as {@link ModelJson} documents it. */
final class ModelJsonV2 {
  private ModelJsonV2() {}

  static ObjectNode write(ObjectNode root, Mixture model) {
    List<String> names = model.features();
    root.put("format", ModelJson.FORMAT);
    root.put("format_version", 2);
    root.put("n_components", model.components());
    root.put("n_features", model.dimension());
    ArrayNode features = root.putArray("features");
    names.forEach(features::add);
    ModelJson.addVector(root.putArray("weights"), model.weights());
    ArrayNode components = root.putArray("components");
    List<double[]> shared = new ArrayList<>();
    List<Integer> sharedSize = new ArrayList<>();
    for (int c = 0; c < model.components(); c++) {
      ArrayNode parts = components.addObject().putArray("parts");
      for (Factor factor : model.component(c).factors()) {
        ObjectNode o = parts.addObject();
        if (factor instanceof Factor.GaussianBlock g) {
          int[] f = g.features();
          int d = f.length;
          o.put("kind", "gaussian");
          ArrayNode fn = o.putArray("features");
          for (int j : f) {
            fn.add(names.get(j));
          }
          o.put("covariance_type", g.type().externalName());
          ModelJson.addVector(o.putArray("mean"), g.mean());
          double[] cov = g.covariance();
          switch (g.type()) {
            case FULL -> ModelJson.addMatrix(o.putArray("covariance"), cov, 0, d);
            case DIAG -> ModelJson.addVector(o.putArray("covariance"), cov);
            case SPHERICAL -> o.put("covariance", cov[0]);
            case TIED -> {
              int i = 0;
              while (i < shared.size() && !Arrays.equals(shared.get(i), cov)) {
                i++;
              }
              if (i == shared.size()) {
                shared.add(cov);
                sharedSize.add(d);
              }
              o.putObject("covariance").put("shared", i);
            }
            default -> throw new IllegalStateException("Unhandled covariance type " + g.type());
          }
        } else {
          Factor.Univariate u = (Factor.Univariate) factor;
          o.put("kind", "univariate");
          o.put("feature", names.get(u.feature()));
          o.put("family", u.family().externalName());
          double[] values = u.parameters();
          String[] pn = u.family().parameterNames();
          if (u.family() == UnivariateFamily.CATEGORICAL) {
            ModelJson.addVector(o.putArray(pn[0]), values);
          } else {
            for (int q = 0; q < pn.length; q++) {
              o.put(pn[q], values[q]);
            }
          }
        }
      }
    }
    if (!model.categories().isEmpty()) {
      ObjectNode cats = root.putObject("categories");
      model.categories().forEach((name, labels) -> {
        ArrayNode a = cats.putArray(name);
        labels.forEach(a::add);
      });
    }
    if (!shared.isEmpty()) {
      ArrayNode s = root.putArray("shared_covariances");
      for (int i = 0; i < shared.size(); i++) {
        ModelJson.addMatrix(s.addArray(), shared.get(i), 0, sharedSize.get(i));
      }
    }
    return root;
  }

  static Mixture read(JsonNode root) {
    int k = ModelJson.requireField(root, "n_components").asInt();
    int d = ModelJson.requireField(root, "n_features").asInt();
    if (k < 1 || d < 1) {
      throw new IllegalArgumentException("n_components and n_features must be >= 1, got " + k + " and " + d);
    }
    JsonNode names = ModelJson.requireField(root, "features");
    ModelJson.expectArray(names, "features", d);
    List<String> features = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int j = 0; j < d; j++) {
      features.add(names.get(j).asText());
      if (index.put(names.get(j).asText(), j) != null) {
        throw new IllegalArgumentException("feature \"" + names.get(j).asText() + "\" is listed twice");
      }
    }
    double[] weights = ModelJson.weights(root, k);
    JsonNode comps = ModelJson.requireField(root, "components");
    ModelJson.expectArray(comps, "components", k);
    JsonNode shared = root.path("shared_covariances");
    List<Component> components = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      String where = "components[" + c + "]";
      JsonNode parts = ModelJson.requireField(comps.get(c), "parts");
      if (!parts.isArray() || parts.isEmpty()) {
        throw new IllegalArgumentException("\"" + where + ".parts\" must be a non-empty array");
      }
      List<Factor> factors = new ArrayList<>();
      for (int p = 0; p < parts.size(); p++) {
        String at = where + ".parts[" + p + "]";
        try {
          factors.add(factor(parts.get(p), at, index, shared));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(e.getMessage().startsWith("\"") ? e.getMessage() : at + ": " + e.getMessage(),
              e);
        }
      }
      components.add(new Component(factors));
    }
    Mixture m = Mixture.ofComponents(weights, components, features);
    JsonNode cats = root.path("categories");
    if (cats.isObject()) {
      Map<String, List<String>> labels = new HashMap<>();
      cats.fieldNames().forEachRemaining(name -> {
        JsonNode values = cats.get(name);
        if (!values.isArray()) {
          throw new IllegalArgumentException("\"categories." + name + "\" must be an array of labels");
        }
        List<String> l = new ArrayList<>();
        values.forEach(v -> l.add(v.asText()));
        labels.put(name, l);
      });
      m = m.withCategories(labels);
    }
    return m;
  }

  private static Factor factor(JsonNode part, String at, Map<String, Integer> index, JsonNode shared) {
    String kind = ModelJson.requireField(part, "kind").asText();
    if (kind.equals("univariate")) {
      int f = feature(index, ModelJson.requireField(part, "feature").asText(), at);
      UnivariateFamily family = UnivariateFamily.fromName(ModelJson.requireField(part, "family").asText());
      String[] pn = family.parameterNames();
      double[] values;
      if (family == UnivariateFamily.CATEGORICAL) {
        JsonNode pv = ModelJson.requireField(part, pn[0]);
        values = ModelJson.vector(pv, at + "." + pn[0], pv.isArray() ? pv.size() : -1);
      } else {
        values = new double[pn.length];
        for (int q = 0; q < pn.length; q++) {
          JsonNode v = ModelJson.requireField(part, pn[q]);
          if (!v.isNumber()) {
            throw new IllegalArgumentException("\"" + at + "." + pn[q] + "\" is not a number: " + v);
          }
          values[q] = v.asDouble();
          if (!Double.isFinite(values[q])) {
            throw new IllegalArgumentException("\"" + at + "." + pn[q] + "\" is not finite: " + v);
          }
        }
      }
      return new Factor.Univariate(f, family, values);
    }
    if (!kind.equals("gaussian")) {
      throw new IllegalArgumentException("\"" + at + ".kind\" is \"" + kind + "\", expected gaussian or univariate");
    }
    JsonNode fn = ModelJson.requireField(part, "features");
    if (!fn.isArray() || fn.isEmpty()) {
      throw new IllegalArgumentException("\"" + at + ".features\" must be a non-empty array");
    }
    int[] f = new int[fn.size()];
    for (int j = 0; j < f.length; j++) {
      f[j] = feature(index, fn.get(j).asText(), at);
    }
    int pd = f.length;
    CovarianceType type = CovarianceType.fromName(ModelJson.requireField(part, "covariance_type").asText());
    double[] mean = ModelJson.vector(ModelJson.requireField(part, "mean"), at + ".mean", pd);
    JsonNode cn = ModelJson.requireField(part, "covariance");
    double[] cov;
    switch (type) {
      case FULL -> {
        cov = new double[pd * pd];
        ModelJson.readMatrix(cn, at + ".covariance", pd, cov, 0);
        ModelJson.checkCovariance(cov, 0, pd, at + ".covariance");
      }
      case DIAG -> {
        cov = ModelJson.vector(cn, at + ".covariance", pd);
        ModelJson.checkVariances(cov, at + ".covariance");
      }
      case SPHERICAL -> {
        if (!cn.isNumber()) {
          throw new IllegalArgumentException("\"" + at + ".covariance\" must be a number for spherical");
        }
        cov = new double[] {cn.asDouble()};
        ModelJson.checkVariances(cov, at + ".covariance");
      }
      case TIED -> {
        JsonNode i = cn.get("shared");
        if (i == null || !i.canConvertToInt() || !shared.isArray() || i.asInt() < 0 || i.asInt() >= shared.size()) {
          throw new IllegalArgumentException("\"" + at + ".covariance\" must be {\"shared\": i} with i an index"
              + " into shared_covariances");
        }
        cov = new double[pd * pd];
        ModelJson.readMatrix(shared.get(i.asInt()), "shared_covariances[" + i.asInt() + "]", pd, cov, 0);
        ModelJson.checkCovariance(cov, 0, pd, "shared_covariances[" + i.asInt() + "]");
      }
      default -> throw new IllegalStateException("Unhandled covariance type " + type);
    }
    return new Factor.GaussianBlock(f, type, mean, cov);
  }

  private static int feature(Map<String, Integer> index, String name, String at) {
    Integer j = index.get(name);
    if (j == null) {
      throw new IllegalArgumentException("\"" + at + "\" names feature \"" + name + "\", which is not in \"features\"");
    }
    return j;
  }
}
