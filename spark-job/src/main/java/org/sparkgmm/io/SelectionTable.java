package org.sparkgmm.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The one owner of {@code selection.json} and {@code selection.csv}, the table of {@code gmm select}
 * (public contract, version 1). One row per candidate, in grid order (k ascending, then the
 * covariance types as given): {@code k}, {@code covariance_type}, {@code log_likelihood} (total, final
 * model), {@code mean_log_likelihood}, {@code n_parameters}, {@code bic}, {@code aic},
 * {@code converged}, {@code n_iter}. The JSON also holds {@code format} ("spark-gmm-selection"),
 * {@code format_version}, {@code criterion}, {@code best} (k and covariance_type of the lowest
 * criterion, the first of equals), {@code n_rows}, {@code weight_sum}, {@code n_init},
 * {@code data_passes} and {@code seconds}. A select over {@code --distributions} has
 * {@code distributions} (the structure, in the flag's syntax) where a Gaussian one has
 * {@code covariance_type}, in the JSON and as the CSV's second column.
 */
public final class SelectionTable {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One candidate's outcome.
   *
   * @param model the covariance type's name (when {@code gaussian}) or the distributions
   */
  public record Row(int k, String model, boolean gaussian, double logLikelihood, double meanLogLikelihood,
      long parameters, double bic, double aic, boolean converged, int iterations) {
    String field() {
      return gaussian ? "covariance_type" : "distributions";
    }
  }

  private SelectionTable() {}

  /** The JSON document. */
  public static String json(List<Row> rows, int best, String criterion, long nRows, double weightSum, int nInit,
      int dataPasses, double seconds) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "spark-gmm-selection");
    root.put("format_version", 1);
    root.put("criterion", criterion);
    ObjectNode b = root.putObject("best");
    b.put("k", rows.get(best).k());
    b.put(rows.get(best).field(), rows.get(best).model());
    root.put("n_rows", nRows);
    root.put("weight_sum", weightSum);
    root.put("n_init", nInit);
    root.put("data_passes", dataPasses);
    root.put("seconds", seconds);
    ArrayNode all = root.putArray("candidates");
    for (Row r : rows) {
      ObjectNode o = all.addObject();
      o.put("k", r.k());
      o.put(r.field(), r.model());
      o.put("log_likelihood", r.logLikelihood());
      o.put("mean_log_likelihood", r.meanLogLikelihood());
      o.put("n_parameters", r.parameters());
      o.put("bic", r.bic());
      o.put("aic", r.aic());
      o.put("converged", r.converged());
      o.put("n_iter", r.iterations());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise the selection", e);
    }
  }

  /** The CSV table, with a header; numbers in round-trip precision. */
  public static String csv(List<Row> rows) {
    StringBuilder b = new StringBuilder("k," + rows.get(0).field()
        + ",log_likelihood,mean_log_likelihood,n_parameters,bic,aic,converged,n_iter\n");
    for (Row r : rows) {
      String model = r.model().contains(",") ? "\"" + r.model() + "\"" : r.model();
      b.append(r.k()).append(',').append(model).append(',').append(r.logLikelihood()).append(',')
          .append(r.meanLogLikelihood()).append(',').append(r.parameters()).append(',').append(r.bic()).append(',')
          .append(r.aic()).append(',').append(String.valueOf(r.converged()).toLowerCase(Locale.ROOT)).append(',')
          .append(r.iterations()).append('\n');
    }
    return b.toString();
  }
}
