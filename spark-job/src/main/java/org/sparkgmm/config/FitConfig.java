package org.sparkgmm.config;

import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.RegScale;
import org.sparkgmm.init.InitMode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.errors.UsageException;

/**
 * Everything one {@code fit} needs, resolved (CLI over config file over defaults, see
 * {@link ConfigResolver}) and validated on construction.
 *
 * @param input input path (file:, hdfs://, s3a://, or local)
 * @param format input format
 * @param features numeric feature columns; empty for "every numeric column" or when {@code featuresCol} is set
 * @param featuresCol a vector or array&lt;double&gt; column holding the features, or null
 * @param weightCol a numeric non-negative row-weight column, or null
 * @param k number of components; 0 means "take it from {@code initModel}"
 * @param covariance covariance type; null means "take it from {@code initModel}" (else full)
 * @param maxIter maximum EM iterations
 * @param tol convergence threshold on the change of mean log-likelihood per row
 * @param regCovar added to covariance diagonals
 * @param regCovarScale what {@code regCovar} is relative to: each feature's variance, or nothing
 * @param init start when neither {@code initModel} nor {@code labelCol} is given
 * @param nInit independent starts (seeds {@code seed}, {@code seed+1}, ...); the best final
 *     log-likelihood wins
 * @param smallEmIter small-EM: the iterations every start runs before only the best
 *     {@code smallEmKeep} go on to convergence (0: the best by their first E-step)
 * @param smallEmKeep the starts that go on after the short runs
 * @param initIter Lloyd passes after a k-means seeding (at most; they stop early once the centres settle)
 * @param initModel a model.json, or a directory holding one (or model/model.json), or null
 * @param labelCol a column of component labels (null: unlabelled row) for a supervised or
 *     semi-supervised fit, or null
 * @param update the parameters EM may change
 * @param seed random seed
 * @param invalidRows policy for rows with null/NaN/infinite values
 * @param missing whether null and NaN features are missing values ({@code --missing marginalize})
 * @param output output directory
 * @param overwrite replace an existing output directory
 * @param partitions repartition the input into this many partitions; 0 keeps the input's
 * @param blockRows rows per cached dense block
 * @param master Spark master URL, or null for spark-submit's (or local[*] when run directly)
 * @param sparkConf extra Spark settings
 * @param verbose Spark logs at INFO and stack traces on errors
 * @param predictions also write the training rows' predictions to {@code OUT/predictions/}
 * @param keepCols input columns copied to the predictions
 * @param logProba also write the log posteriors in the predictions
 * @param report write {@code OUT/report/index.html}
 * @param reportFeatures two features for the report's scatter, or empty for the principal directions
 * @param distributions the structure of every component ({@code --distributions}), or null for one
 *     Gaussian of {@code covariance} over the features
 * @param freeze components of {@code initModel} that keep their parameters
 * @param pseudocount added to every category count of Categorical features
 * @param storage where the packed blocks live between passes
 * @param online stepwise EM's settings, or null for batch EM
 * @param checkpoint where batch EM keeps its state for a rerun after the driver died
 */
public record FitConfig(
    String input,
    InputFormat format,
    List<String> features,
    String featuresCol,
    String weightCol,
    int k,
    CovarianceType covariance,
    int maxIter,
    double tol,
    double regCovar,
    RegScale regCovarScale,
    InitMode init,
    int nInit,
    int smallEmIter,
    int smallEmKeep,
    int initIter,
    String initModel,
    String labelCol,
    Set<Parameter> update,
    long seed,
    InvalidRows invalidRows,
    MissingValues missing,
    String output,
    boolean overwrite,
    int partitions,
    int blockRows,
    String master,
    Map<String, String> sparkConf,
    boolean verbose,
    boolean predictions,
    List<String> keepCols,
    boolean logProba,
    boolean report,
    List<String> reportFeatures,
    ComponentSpec distributions,
    Set<Integer> freeze,
    double pseudocount,
    Storage storage,
    OnlineSettings online,
    Checkpointing checkpoint) {

  /** @throws UsageException naming the flag, the value and what is allowed */
  public FitConfig {
    features = List.copyOf(features);
    keepCols = List.copyOf(keepCols);
    reportFeatures = List.copyOf(reportFeatures);
    require(reportFeatures.isEmpty() || reportFeatures.size() == 2,
        "--report-features takes two features separated by a comma, got " + reportFeatures);
    require(reportFeatures.isEmpty() || !reportFeatures.get(0).equals(reportFeatures.get(1)),
        "--report-features names " + (reportFeatures.isEmpty() ? "" : reportFeatures.get(0)) + " twice");
    require(report || reportFeatures.isEmpty(), "--report-features shapes the report, which --no-report turns off");
    require(predictions || (keepCols.isEmpty() && !logProba), "--keep-cols and --log-proba shape the predictions:"
        + " add --predictions");
    sparkConf = Map.copyOf(sparkConf);
    require(input != null && !input.isBlank(), "--input is required: the data to fit (Parquet or CSV)");
    require(output != null && !output.isBlank(), "--output is required: the directory to write the model to");
    require(!(featuresCol != null && !features.isEmpty()), "Use either --features or --features-col, not both");
    update = Set.copyOf(update);
    require(k >= 1 || (k == 0 && (initModel != null || labelCol != null)),
        "--k must be >= 1 (the number of components), got " + k);
    require(nInit >= 1, "--n-init must be >= 1 (the number of starts), got " + nInit);
    require(smallEmIter >= 0, "--small-em-iter must be >= 0 (0: every start to convergence), got " + smallEmIter);
    require(smallEmKeep >= 1, "--small-em-keep must be >= 1 (the starts that go on after the short runs), got "
        + smallEmKeep);
    require(initIter >= 0, "--init-iter must be >= 0, got " + initIter);
    require(nInit == 1 || initModel == null,
        "--n-init " + nInit + " needs random starts, but --init-model gives one fixed start: drop one of them");
    require(nInit == 1 || labelCol == null,
        "--n-init " + nInit + " has no effect with --label-col, whose start is fixed by the labels: drop --n-init");
    require(labelCol == null || !features.contains(labelCol), "--label-col " + labelCol + " is also listed in --features");
    require(labelCol == null || !labelCol.equals(weightCol), "--label-col and --weight-col name the same column");
    require(labelCol == null || !labelCol.equals(featuresCol), "--label-col and --features-col name the same column");
    require(maxIter >= 1, "--max-iter must be >= 1, got " + maxIter);
    require(tol >= 0 && Double.isFinite(tol), "--tol must be finite and >= 0, got " + tol);
    require(regCovar >= 0 && Double.isFinite(regCovar), "--reg-covar must be finite and >= 0, got " + regCovar);
    require(partitions >= 0, "--partitions must be >= 1 (or 0 to keep the input's), got " + partitions);
    require(blockRows >= 1, "gmm.block-rows must be >= 1, got " + blockRows);
    require(weightCol == null || !features.contains(weightCol),
        "--weight-col " + weightCol + " is also listed in --features");
    for (String f : features) {
      require(!f.isBlank(), "--features has an empty column name");
    }
    require(features.stream().distinct().count() == features.size(), "--features lists a column twice: " + features);
    freeze = Set.copyOf(freeze);
    require(missing != null, "--missing must be invalid or marginalize");
    require(storage != null, "--storage must be memory, memory-and-disk or none");
    require(freeze.isEmpty() || initModel != null, "--freeze keeps components of --init-model as they are: give"
        + " --init-model");
    require(pseudocount >= 0 && Double.isFinite(pseudocount), "--pseudocount must be finite and >= 0, got "
        + pseudocount);
    require(distributions == null || (labelCol == null || !distributions.features().contains(labelCol)),
        "--label-col " + labelCol + " is also named in --distributions");
    require(distributions == null || (weightCol == null || !distributions.features().contains(weightCol)),
        "--weight-col " + weightCol + " is also named in --distributions");
  }

  /** The EM options of this fit. */
  public EmOptions emOptions() {
    return new EmOptions(maxIter, tol, regCovar, update, freeze, pseudocount);
  }

  /**
   * The structure of every component for these input features: {@code --distributions}, else one
   * Gaussian of the covariance type over all of them.
   */
  public ComponentSpec spec(List<String> names) {
    if (distributions != null) {
      return distributions;
    }
    return ComponentSpec.gaussian(names, covariance == null ? CovarianceType.FULL : covariance);
  }

  /** The same settings with another number of components and covariance type (a candidate of select). */
  public FitConfig withComponents(int components, CovarianceType type) {
    return new FitConfig(input, format, features, featuresCol, weightCol, components, type, maxIter, tol, regCovar,
        regCovarScale, init, nInit, smallEmIter, smallEmKeep, initIter, initModel, labelCol, update, seed, invalidRows, missing, output, overwrite, partitions,
        blockRows, master, sparkConf, verbose, predictions, keepCols, logProba, report, reportFeatures, distributions,
        freeze, pseudocount, storage, online, checkpoint);
  }

  /**
   * The same settings with every component of structure {@code spec} (its features naming the
   * feature columns, or the entries of {@code featuresCol} in order).
   */
  public FitConfig withDistributions(ComponentSpec spec) {
    return new FitConfig(input, format, featuresCol == null ? spec.features() : List.of(), featuresCol, weightCol, k,
        null, maxIter, tol, regCovar, regCovarScale, init, nInit, smallEmIter, smallEmKeep, initIter, initModel, labelCol, update, seed, invalidRows, missing, output,
        overwrite, partitions, blockRows, master, sparkConf, verbose, predictions, keepCols, logProba, report,
        reportFeatures, spec, freeze, pseudocount, storage, online, checkpoint);
  }

  /**
   * Small-EM over this fit's starts: every start runs {@code smallEmIter} iterations, then the best
   * {@code smallEmKeep} of each group of {@code nInit} go on ({@code perGroup}: the starts are
   * {@code nInit} per candidate model).
   */
  public org.sparkgmm.em.ExpectationMaximization.SmallEm smallEm() {
    return smallEmKeep >= nInit ? org.sparkgmm.em.ExpectationMaximization.SmallEm.NONE
        : new org.sparkgmm.em.ExpectationMaximization.SmallEm(smallEmIter, smallEmKeep, nInit);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UsageException(message);
    }
  }
}
