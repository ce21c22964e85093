package org.sparkgmm.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.select.InformationCriteria;

/**
 * The one owner of the {@code metrics.json} layout (public contract, version 1). Fields:
 * {@code format} ("spark-gmm-metrics"), {@code format_version}, {@code n_rows} (valid rows used),
 * {@code rows_skipped}, {@code weight_sum}, {@code n_features}, {@code features},
 * {@code n_components}, {@code covariance_type}, {@code n_iter}, {@code converged},
 * {@code log_likelihood} (total, final model), {@code mean_log_likelihood} (per unit weight, final
 * model), {@code log_likelihood_history} (mean per row at each iteration's E-step),
 * {@code n_parameters}, {@code bic}, {@code aic} (scikit-learn's formulas with n = weight_sum),
 * {@code init}, {@code seed}, {@code tol}, {@code max_iter}, {@code reg_covar}, {@code seconds},
 * {@code blas}, {@code spark_master}.
 */
public final class MetricsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the job knows besides the EM result. */
  public record RunFacts(long rowsSkipped, String init, long seed, double tol, int maxIter, double regCovar,
      double seconds, String blas, String sparkMaster) {}

  private MetricsJson() {}

  /** The metrics of a fit as JSON text. */
  public static String write(FitResult fit, RunFacts facts) {
    GaussianMixtureModel m = fit.model();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "spark-gmm-metrics");
    root.put("format_version", 1);
    root.put("n_rows", fit.rows());
    root.put("rows_skipped", facts.rowsSkipped());
    root.put("weight_sum", fit.weightSum());
    root.put("n_features", m.dimension());
    ArrayNode features = root.putArray("features");
    m.features().forEach(features::add);
    root.put("n_components", m.components());
    root.put("covariance_type", m.covarianceType().externalName());
    root.put("n_iter", fit.iterations());
    root.put("converged", fit.converged());
    root.put("log_likelihood", fit.logLikelihood());
    root.put("mean_log_likelihood", fit.meanLogLikelihood());
    ArrayNode history = root.putArray("log_likelihood_history");
    List<Double> h = fit.history();
    h.forEach(history::add);
    long p = m.parameterCount();
    root.put("n_parameters", p);
    root.put("bic", InformationCriteria.bic(fit.meanLogLikelihood(), fit.weightSum(), p));
    root.put("aic", InformationCriteria.aic(fit.meanLogLikelihood(), fit.weightSum(), p));
    root.put("init", facts.init());
    root.put("seed", facts.seed());
    root.put("tol", facts.tol());
    root.put("max_iter", facts.maxIter());
    root.put("reg_covar", facts.regCovar());
    root.put("seconds", facts.seconds());
    root.put("blas", facts.blas());
    root.put("spark_master", facts.sparkMaster());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise the metrics", e);
    }
  }
}
