package org.sparkgmm.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.select.InformationCriteria;

/**
 * What a {@link SparkGmm} fit reached, kept with the fitted stage and saved beside its model (so a
 * loaded stage still has it, unlike Spark MLlib's): the rows and total weight fitted, EM's
 * iterations and convergence, the total and mean log-likelihood, the free parameters, BIC and AIC
 * (scikit-learn's definitions, lower is better), the mean log-likelihood per iteration, and the
 * number of starts. Field names in {@link #toJson()} are the CLI's {@code metrics.json} names.
 */
public final class SparkGmmSummary implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long rows;
  private final double weightSum;
  private final int iterations;
  private final boolean converged;
  private final double logLikelihood;
  private final long parameters;
  private final List<Double> history;
  private final int starts;

  private SparkGmmSummary(long rows, double weightSum, int iterations, boolean converged, double logLikelihood,
      long parameters, List<Double> history, int starts) {
    this.rows = rows;
    this.weightSum = weightSum;
    this.iterations = iterations;
    this.converged = converged;
    this.logLikelihood = logLikelihood;
    this.parameters = parameters;
    this.history = List.copyOf(history);
    this.starts = starts;
  }

  /** The summary of the best of {@code starts} starts. */
  static SparkGmmSummary of(FitResult best, int starts) {
    return new SparkGmmSummary(best.rows(), best.weightSum(), best.iterations(), best.converged(),
        best.logLikelihood(), best.model().parameterCount(), best.history(), starts);
  }

  /** Rows fitted ({@code n_rows}). */
  public long numRows() {
    return rows;
  }

  /** Total row weight ({@code weight_sum}; the row count without a weight column). */
  public double weightSum() {
    return weightSum;
  }

  /** EM iterations of the best start ({@code n_iter}). */
  public int numIter() {
    return iterations;
  }

  /** Whether the best start's change in mean log-likelihood fell below {@code tol}. */
  public boolean converged() {
    return converged;
  }

  /** Total weighted log-likelihood of the data under the fitted model. */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** Log-likelihood per unit weight. */
  public double meanLogLikelihood() {
    return logLikelihood / weightSum;
  }

  /** Free parameters of the model. */
  public long numParameters() {
    return parameters;
  }

  /** {@code -2 log L + p ln n}; lower is better. */
  public double bic() {
    return InformationCriteria.bic(meanLogLikelihood(), weightSum, parameters);
  }

  /** {@code -2 log L + 2 p}; lower is better. */
  public double aic() {
    return InformationCriteria.aic(meanLogLikelihood(), weightSum, parameters);
  }

  /** Mean log-likelihood at each iteration of the best start. */
  public double[] logLikelihoodHistory() {
    return history.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Independent starts run ({@code n_init}). */
  public int numStarts() {
    return starts;
  }

  /** As JSON, with {@code metrics.json}'s field names (what the Python API returns as a dict). */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("n_rows", rows);
    o.put("weight_sum", weightSum);
    o.put("n_iter", iterations);
    o.put("converged", converged);
    o.put("log_likelihood", logLikelihood);
    o.put("mean_log_likelihood", meanLogLikelihood());
    o.put("n_parameters", parameters);
    o.put("bic", bic());
    o.put("aic", aic());
    history.forEach(o.putArray("log_likelihood_history")::add);
    o.put("n_init", starts);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads {@link #toJson()}'s text back.
   *
   * @throws IllegalArgumentException naming {@code where} and the field when the text is not a summary
   */
  static SparkGmmSummary fromJson(String text, String where) {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage());
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException(where + " is not a JSON object");
    }
    List<Double> history = new ArrayList<>();
    for (JsonNode v : field(o, "log_likelihood_history", where)) {
      history.add(v.asDouble());
    }
    return new SparkGmmSummary(field(o, "n_rows", where).asLong(), field(o, "weight_sum", where).asDouble(),
        field(o, "n_iter", where).asInt(), field(o, "converged", where).asBoolean(),
        field(o, "log_likelihood", where).asDouble(), field(o, "n_parameters", where).asLong(), history,
        field(o, "n_init", where).asInt());
  }

  private static JsonNode field(JsonNode o, String name, String where) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(where + " has no '" + name + "'");
    }
    return v;
  }
}
