package org.sparkgmm.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.em.Reseed;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.select.InformationCriteria;

/**
 * The one owner of the {@code metrics.json} layout (public contract, version 1; fields are only
 * ever added). Fields, for the best start unless said otherwise:
 * {@code format} ("spark-gmm-metrics"), {@code format_version}, {@code command} ("fit"; select
 * writes its best candidate's metrics the same way), {@code n_rows} (valid rows used),
 * {@code rows_skipped}, {@code weight_sum}, {@code n_features}, {@code features},
 * {@code n_components}, {@code covariance_type} (a general mixture has {@code distributions}, as
 * {@link org.sparkgmm.model.Mixture#describe} says, instead), {@code n_iter}, {@code converged},
 * {@code log_likelihood} (total, final model), {@code mean_log_likelihood} (per unit weight, final
 * model), {@code log_likelihood_history} (mean per row at each iteration's E-step; with labels the
 * semi-supervised objective), {@code n_parameters}, {@code bic}, {@code aic} (scikit-learn's
 * formulas with n = weight_sum), {@code reseeds} (collapsed components re-seeded: iteration,
 * component, weight, row_log_likelihood), {@code init}, {@code seed}, {@code n_init},
 * {@code best_start} (0-based), {@code starts} (per start: seed, n_iter, converged,
 * mean_log_likelihood, reseeds), {@code init_iter}, {@code update} (letters of wmc),
 * {@code label_col}, {@code labels} (component order), {@code labelled_rows}, {@code tol},
 * {@code max_iter}, {@code reg_covar}, {@code data_passes} (scans of the cached data, init
 * included), {@code init_passes} and {@code init_seconds} (those of building the starts),
 * {@code seconds}, {@code blas}, {@code spark_master}, {@code missing} (what a null or NaN feature
 * was: {@code handling} "invalid" or "marginalize", {@code rows_all_missing} left out,
 * {@code rows_incomplete} kept with some feature missing, {@code cells_total} and {@code cells} by
 * feature), {@code constant_features} (features whose variance is the reg_covar floor in every
 * component: constant, or spread far below reg_covar's scale), {@code regularised} (other components
 * whose covariance sits at the reg_covar floor along a feature: component, feature, variance),
 * {@code columns_left_out} (input columns the default feature choice left out as not numeric:
 * column, type and, for strings, values, numbers among them, and an example that is not one),
 * {@code resumed_from_iteration} (the checkpoint's iteration a rerun went on from, 0 for a
 * run from the start), {@code storage} (where the blocks lived) and, unless it is none, {@code cache} (as the job ended:
 * {@code partitions}, {@code partitions_cached}, {@code memory_bytes} in executor memory, {@code disk_bytes}
 * spilled to local disk), {@code online} with {@code --batch-size}
 * ({@code batches}, {@code batch_size}, {@code t0}, {@code kappa}, {@code max_epochs},
 * {@code final_batch_iter}, {@code steps}, {@code epochs}, {@code rows_visited}; then
 * {@code n_iter} counts epochs plus final batch iterations and {@code log_likelihood_history} holds
 * each epoch's mean of its batches' log-likelihoods).
 */
public final class MetricsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the job knows besides the EM results. */
  /** @param seeds the seed of each start; the first is the job's {@code --seed} */
  public record RunFacts(long rowsSkipped, String init, long[] seeds, int initIter, String update,
      String labelCol, List<String> labels, long labelledRows, double tol, int maxIter,
      org.sparkgmm.component.Regularisation reg,
      int dataPasses, int initPasses, double initSeconds, double seconds, String blas, String sparkMaster,
      String missingHandling, MissingCounts missing, StorageUse storage, OnlineFacts online, int resumedFrom,
      List<NonNumericColumns.LeftOut> leftOut, org.sparkgmm.em.Regularised.Findings regularised) {}

  /** What stepwise EM did ({@code --batch-size}); the {@code online} object. */
  public record OnlineFacts(int batches, double batchSize, double t0, double kappa, int maxEpochs, int finalIterations,
      int steps, int epochs, long rowsVisited) {}

  private MetricsJson() {}

  /** The metrics of a fit as JSON text. */
  public static String write(List<FitResult> starts, int best, RunFacts facts) {
    return text(fit(starts, best, facts));
  }

  /**
   * The metrics of {@code gmm update}: a fit's fields ({@code command} "update", {@code init}
   * "update-model") plus {@code update}: {@code model} (the model updated), {@code decay},
   * {@code model_rows} (its effective rows), {@code new_rows} (weight of the new rows) and
   * {@code effective_rows} (what the updated model file carries: decay x model_rows + new_rows).
   */
  public static String update(FitResult fit, RunFacts facts, String model, double decay, double modelRows,
      double effectiveRows) {
    ObjectNode root = fit(List.of(fit), 0, facts);
    root.put("command", "update");
    ObjectNode u = root.putObject("update");
    u.put("model", model);
    u.put("decay", decay);
    u.put("model_rows", modelRows);
    u.put("new_rows", fit.weightSum());
    u.put("effective_rows", effectiveRows);
    return text(root);
  }

  private static ObjectNode fit(List<FitResult> starts, int best, RunFacts facts) {
    FitResult fit = starts.get(best);
    Mixture m = fit.model();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "spark-gmm-metrics");
    root.put("format_version", 1);
    root.put("command", "fit");
    root.put("n_rows", fit.rows());
    root.put("rows_skipped", facts.rowsSkipped());
    root.put("weight_sum", fit.weightSum());
    root.put("n_features", m.dimension());
    ArrayNode features = root.putArray("features");
    m.features().forEach(features::add);
    root.put("n_components", m.components());
    if (m.asGaussian().isPresent()) {
      root.put("covariance_type", m.asGaussian().get().covarianceType().externalName());
    } else {
      root.put("distributions", m.describe());
    }
    root.put("n_iter", fit.iterations());
    root.put("converged", fit.converged());
    root.put("log_likelihood", fit.logLikelihood());
    root.put("mean_log_likelihood", fit.meanLogLikelihood());
    ArrayNode history = root.putArray("log_likelihood_history");
    fit.history().forEach(history::add);
    long p = m.parameterCount();
    root.put("n_parameters", p);
    root.put("bic", InformationCriteria.bic(fit.meanLogLikelihood(), fit.weightSum(), p));
    root.put("aic", InformationCriteria.aic(fit.meanLogLikelihood(), fit.weightSum(), p));
    reseeds(root.putArray("reseeds"), fit.reseeds());
    root.put("init", facts.init());
    root.put("seed", facts.seeds()[0]);
    root.put("n_init", starts.size());
    root.put("best_start", best);
    ArrayNode all = root.putArray("starts");
    for (int s = 0; s < starts.size(); s++) {
      FitResult r = starts.get(s);
      ObjectNode o = all.addObject();
      o.put("seed", facts.seeds()[s]);
      o.put("n_iter", r.iterations());
      o.put("converged", r.converged());
      o.put("mean_log_likelihood", r.meanLogLikelihood());
      reseeds(o.putArray("reseeds"), r.reseeds());
    }
    root.put("init_iter", facts.initIter());
    root.put("update", facts.update());
    if (facts.labelCol() == null) {
      root.putNull("label_col");
    } else {
      root.put("label_col", facts.labelCol());
    }
    ArrayNode labels = root.putArray("labels");
    facts.labels().forEach(labels::add);
    root.put("labelled_rows", facts.labelledRows());
    root.put("tol", facts.tol());
    root.put("max_iter", facts.maxIter());
    root.put("reg_covar", facts.reg().reg());
    root.put("reg_covar_scale", facts.reg().relative() ? "data" : "absolute");
    root.put("data_passes", facts.dataPasses());
    root.put("init_passes", facts.initPasses());
    root.put("init_seconds", facts.initSeconds());
    root.put("seconds", facts.seconds());
    root.put("blas", facts.blas());
    root.put("spark_master", facts.sparkMaster());
    missing(root, facts.missingHandling(), facts.missing(), m.features());
    root.put("resumed_from_iteration", facts.resumedFrom());
    ArrayNode constant = root.putArray("constant_features");
    facts.regularised().constantFeatures().forEach(constant::add);
    ArrayNode reg = root.putArray("regularised");
    for (org.sparkgmm.em.Regularised r : facts.regularised().components()) {
      ObjectNode o = reg.addObject();
      o.put("component", r.component());
      o.put("feature", r.feature());
      o.put("variance", r.variance());
    }
    ArrayNode left = root.putArray("columns_left_out");
    for (NonNumericColumns.LeftOut l : facts.leftOut()) {
      ObjectNode o = left.addObject();
      o.put("column", l.column());
      o.put("type", l.type());
      if (l.values() >= 0) {
        o.put("values", l.values());
        o.put("numbers", l.numbers());
        o.put("example", l.example());
      }
    }
    root.put("storage", facts.storage().storage());
    if (!"none".equals(facts.storage().storage())) {
      ObjectNode cache = root.putObject("cache");
      cache.put("partitions", facts.storage().partitions());
      cache.put("partitions_cached", facts.storage().cachedPartitions());
      cache.put("memory_bytes", facts.storage().memoryBytes());
      cache.put("disk_bytes", facts.storage().diskBytes());
    }
    if (facts.online() != null) {
      OnlineFacts f = facts.online();
      ObjectNode o = root.putObject("online");
      o.put("batches", f.batches());
      o.put("batch_size", f.batchSize());
      o.put("t0", f.t0());
      o.put("kappa", f.kappa());
      o.put("max_epochs", f.maxEpochs());
      o.put("final_batch_iter", f.finalIterations());
      o.put("steps", f.steps());
      o.put("epochs", f.epochs());
      o.put("rows_visited", f.rowsVisited());
    }
    return root;
  }

  /** The {@code missing} object: how null and NaN features were taken and what was met. */
  private static void missing(ObjectNode root, String handling, MissingCounts counts, List<String> features) {
    ObjectNode o = root.putObject("missing");
    o.put("handling", handling);
    o.put("rows_all_missing", counts.allMissingRows());
    o.put("rows_incomplete", counts.incompleteRows());
    o.put("cells_total", counts.totalCells());
    ObjectNode cells = o.putObject("cells");
    counts.byFeature(features).forEach(cells::put);
  }

  /**
   * The metrics of {@code gmm score} (stdout and {@code metrics.json}): {@code format},
   * {@code format_version}, {@code command} ("score"), {@code model}, {@code input}, {@code n_rows},
   * {@code rows_skipped}, {@code weight_sum}, {@code log_likelihood}, {@code mean_log_likelihood}
   * (scikit-learn's {@code score} for unit weights), {@code n_parameters}, {@code bic}, {@code aic}
   * (n = weight_sum), {@code missing} (as fit's).
   */
  public static String score(String model, String input, Mixture m, long rows, long skipped,
      double weightSum, double logLikelihood, String missingHandling, MissingCounts missing) {
    ObjectNode root = header("score", model, input);
    root.put("n_rows", rows);
    root.put("rows_skipped", skipped);
    root.put("weight_sum", weightSum);
    root.put("log_likelihood", logLikelihood);
    double mean = logLikelihood / weightSum;
    root.put("mean_log_likelihood", mean);
    long p = m.parameterCount();
    root.put("n_parameters", p);
    root.put("bic", InformationCriteria.bic(mean, weightSum, p));
    root.put("aic", InformationCriteria.aic(mean, weightSum, p));
    missing(root, missingHandling, missing, m.features());
    return text(root);
  }

  /**
   * The metrics of {@code gmm predict} ({@code metrics.json} beside {@code predictions/}):
   * {@code format}, {@code format_version}, {@code command} ("predict"), {@code model},
   * {@code input}, {@code n_rows} (rows written), {@code rows_skipped}, {@code mean_log_likelihood}
   * (over the rows written), {@code seconds}, {@code missing} ({@code handling},
   * {@code rows_all_missing}: rows not evaluated because every feature was missing,
   * {@code rows_incomplete}, {@code cells_total}, and {@code imputed_cells} with {@code --impute}).
   */
  public static String predictions(String model, String input, long rows, long skipped, double logLikelihood,
      double seconds, String missingHandling, long allMissing, long incomplete, long cells, boolean imputed) {
    ObjectNode root = header("predict", model, input);
    root.put("n_rows", rows);
    root.put("rows_skipped", skipped);
    root.put("mean_log_likelihood", rows == 0 ? Double.NaN : logLikelihood / rows);
    root.put("seconds", seconds);
    ObjectNode o = root.putObject("missing");
    o.put("handling", missingHandling);
    o.put("rows_all_missing", allMissing);
    o.put("rows_incomplete", incomplete);
    o.put("cells_total", cells);
    if (imputed) {
      o.put("imputed_cells", cells);
    }
    return text(root);
  }

  /**
   * The metrics of {@code gmm sample}: {@code format}, {@code format_version}, {@code command}
   * ("sample"), {@code model}, {@code n_rows}, {@code seed}, {@code partitions}, {@code seconds}.
   */
  public static String sample(String model, long rows, long seed, int partitions, double seconds) {
    ObjectNode root = header("sample", model, null);
    root.put("n_rows", rows);
    root.put("seed", seed);
    root.put("partitions", partitions);
    root.put("seconds", seconds);
    return text(root);
  }

  private static ObjectNode header(String command, String model, String input) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "spark-gmm-metrics");
    root.put("format_version", 1);
    root.put("command", command);
    root.put("model", model);
    if (input != null) {
      root.put("input", input);
    }
    return root;
  }

  private static String text(ObjectNode root) {
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise the metrics", e);
    }
  }

  private static void reseeds(ArrayNode into, List<Reseed> events) {
    for (Reseed e : events) {
      ObjectNode o = into.addObject();
      o.put("iteration", e.iteration());
      o.put("component", e.component());
      o.put("weight", e.weightBefore());
      o.put("row_log_likelihood", e.rowLogLikelihood());
    }
  }
}
