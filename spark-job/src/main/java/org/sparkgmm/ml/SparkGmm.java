package org.sparkgmm.ml;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.init.InitMode;
import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.driver.Fitting;
import org.sparkgmm.em.FitResult;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.io.InputReader;
import org.sparkgmm.io.TrainingData;

/**
 * spark-gmm as a Spark ML Estimator: fits a mixture by EM on a vector (or array) column, for use
 * as a Pipeline stage: a Gaussian mixture, or with {@code distributions} any structure the CLI's
 * {@code --distributions} takes. Params mirror the command line ({@code k}, {@code covarianceType}, {@code distributions},
 * {@code maxIter}, {@code tol}, {@code regCovar}, {@code regCovarScale}, {@code initMode}, {@code nInit}, {@code seed},
 * {@code weightCol}, {@code missing}) plus Spark ML's column params. Rows with null, NaN or
 * infinite features fail the fit with a message naming the first; with {@code missing} set to
 * {@code marginalize}, null and NaN entries are missing values instead (the CLI's
 * {@code --missing marginalize}; rows missing every feature are left out).
 */
public final class SparkGmm extends Estimator<SparkGmmModel> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SparkGmm.class);

  private final String uid;
  private final IntParam k;
  private final Param<String> covarianceType;
  private final Param<String> distributions;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final DoubleParam regCovar;
  private final Param<String> initMode;
  private final IntParam nInit;
  private final IntParam smallEmIter;
  private final IntParam smallEmKeep;
  private final LongParam seed;
  private final Param<String> weightCol;
  private final Param<String> missing;
  private final Param<String> regCovarScale;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;

  public SparkGmm() {
    this(Identifiable.randomUID("sparkgmm"));
  }

  public SparkGmm(String uid) {
    this.uid = uid;
    k = new IntParam(this, "k", "number of components (>= 1)", ParamValidators.gtEq(1));
    covarianceType = new Param<>(this, "covarianceType", "full, tied, diag or spherical",
        ParamValidators.inArray(new String[] {"full", "tied", "diag", "spherical"}));
    distributions = new Param<>(this, "distributions", "every feature of the features vector with its family, in"
        + " order, as the CLI's --distributions (e.g. \"a:normal,b:poisson,(c,d):full\"); empty for one Gaussian of"
        + " covarianceType", (String v) -> {
          if (v.isEmpty()) {
            return true;
          }
          ComponentSpec.parse(v);
          return true;
        });
    maxIter = new IntParam(this, "maxIter", "maximum EM iterations (>= 1)", ParamValidators.gtEq(1));
    tol = new DoubleParam(this, "tol", "stop when the mean log-likelihood changes less than this (>= 0)",
        ParamValidators.gtEq(0));
    regCovar = new DoubleParam(this, "regCovar", "added to covariance diagonals (>= 0)", ParamValidators.gtEq(0));
    initMode = new Param<>(this, "initMode", "kmeans-parallel, kmeans++, random, random-from-data or hc",
        ParamValidators.inArray(new String[] {"kmeans-parallel", "kmeans++", "random", "random-from-data", "hc"}));
    nInit = new IntParam(this, "nInit", "independent starts sharing every pass, run as small-EM; the best"
        + " log-likelihood wins (>= 1)", ParamValidators.gtEq(1));
    smallEmIter = new IntParam(this, "smallEmIter", "small-EM: the EM iterations every start runs before only the"
        + " best smallEmKeep go on to convergence (>= 0)", ParamValidators.gtEq(0));
    smallEmKeep = new IntParam(this, "smallEmKeep", "the starts that go on after small-EM's short runs (>= 1)",
        ParamValidators.gtEq(1));
    seed = new LongParam(this, "seed", "random seed");
    weightCol = new Param<>(this, "weightCol", "non-negative row weights; empty for 1 per row");
    missing = new Param<>(this, "missing", "what a null or NaN feature is: invalid (the fit fails) or marginalize"
        + " (a missing value, as the CLI's --missing)", ParamValidators.inArray(new String[] {"invalid", "marginalize"}));
    featuresCol = new Param<>(this, "featuresCol", "features column (vector or array<double>)");
    predictionCol = new Param<>(this, "predictionCol", "output column of the most probable component");
    probabilityCol = new Param<>(this, "probabilityCol", "output column of the posterior probabilities");
    setDefault(k, 2);
    setDefault(covarianceType, "full");
    setDefault(distributions, "");
    setDefault(maxIter, 100);
    setDefault(tol, 1e-3);
    setDefault(regCovar, 1e-6);
    setDefault(initMode, "kmeans-parallel");
    setDefault(nInit, org.sparkgmm.config.ConfigResolver.DEFAULT_STARTS);
    setDefault(smallEmIter, 10);
    setDefault(smallEmKeep, 1);
    setDefault(seed, 0L);
    setDefault(weightCol, "");
    setDefault(missing, "invalid");
    regCovarScale = new Param<>(this, "regCovarScale", "what regCovar is relative to: data (each feature's variance,"
        + " so that the fit does not depend on the features' units) or absolute (scikit-learn's reg_covar)",
        ParamValidators.inArray(new String[] {"data", "absolute"}));
    setDefault(regCovarScale, "data");
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
  }

  @Override
  public String uid() {
    return uid;
  }

  public IntParam k() {
    return k;
  }

  public Param<String> covarianceType() {
    return covarianceType;
  }

  /** The structure of every component (the CLI's {@code --distributions}); empty for a Gaussian mixture. */
  public Param<String> distributions() {
    return distributions;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam tol() {
    return tol;
  }

  public DoubleParam regCovar() {
    return regCovar;
  }

  public Param<String> initMode() {
    return initMode;
  }

  public IntParam nInit() {
    return nInit;
  }

  public IntParam smallEmIter() {
    return smallEmIter;
  }

  public IntParam smallEmKeep() {
    return smallEmKeep;
  }

  public SparkGmm setSmallEmIter(int value) {
    set(smallEmIter, value);
    return this;
  }

  public SparkGmm setSmallEmKeep(int value) {
    set(smallEmKeep, value);
    return this;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public SparkGmm setK(int value) {
    set(k, value);
    return this;
  }

  public SparkGmm setCovarianceType(String value) {
    set(covarianceType, value);
    return this;
  }

  /** Sets {@link #distributions()}. */
  public SparkGmm setDistributions(String value) {
    set(distributions, value);
    return this;
  }

  public SparkGmm setMaxIter(int value) {
    set(maxIter, value);
    return this;
  }

  public SparkGmm setTol(double value) {
    set(tol, value);
    return this;
  }

  public SparkGmm setRegCovar(double value) {
    set(regCovar, value);
    return this;
  }

  public SparkGmm setInitMode(String value) {
    set(initMode, value);
    return this;
  }

  public SparkGmm setNInit(int value) {
    set(nInit, value);
    return this;
  }

  public SparkGmm setSeed(long value) {
    set(seed, value);
    return this;
  }

  public SparkGmm setWeightCol(String value) {
    set(weightCol, value);
    return this;
  }

  public SparkGmm setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public SparkGmm setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public SparkGmm setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  public int getK() {
    return (Integer) getOrDefault(k);
  }

  public String getCovarianceType() {
    return getOrDefault(covarianceType);
  }

  /** What a null or NaN feature is: {@code invalid} (default) or {@code marginalize}. */
  public Param<String> missing() {
    return missing;
  }

  /** The value of {@link #missing()}. */
  public String getMissing() {
    return getOrDefault(missing);
  }

  public SparkGmm setMissing(String value) {
    set(missing, value);
    return this;
  }

  /** What {@code regCovar} is relative to: {@code data} (default, each feature's variance) or {@code absolute}. */
  public Param<String> regCovarScale() {
    return regCovarScale;
  }

  /** The value of {@link #regCovarScale()}. */
  public String getRegCovarScale() {
    return getOrDefault(regCovarScale);
  }

  public SparkGmm setRegCovarScale(String value) {
    set(regCovarScale, value);
    return this;
  }

  /** The value of {@link #distributions()}. */
  public String getDistributions() {
    return getOrDefault(distributions);
  }

  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  public String getWeightCol() {
    return getOrDefault(weightCol);
  }

  @Override
  public SparkGmmModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Dataset<Row> table = dataset.toDF();
    String source = "the DataFrame given to SparkGmm.fit";
    String weight = getWeightCol().isEmpty() ? null : getWeightCol();
    ComponentSpec spec = getDistributions().isEmpty() ? null : ComponentSpec.parse(getDistributions());
    FitConfig c = new FitConfig(source, InputFormat.PARQUET, List.of(), getFeaturesCol(), weight, getK(),
        spec != null ? null : CovarianceType.fromName(getCovarianceType()), (Integer) getOrDefault(maxIter),
        spec != null && !isSet(tol) ? EmOptions.GENERAL_TOL : (Double) getOrDefault(tol),
        (Double) getOrDefault(regCovar), org.sparkgmm.em.RegScale.fromName(getRegCovarScale()), InitMode.fromName(getOrDefault(initMode)), (Integer) getOrDefault(nInit),
        (Integer) getOrDefault(smallEmIter),
        isSet(smallEmKeep) ? (Integer) getOrDefault(smallEmKeep)
            : org.sparkgmm.config.ConfigResolver.defaultSmallEmKeep(InitMode.fromName(getOrDefault(initMode)),
                (Integer) getOrDefault(nInit)), 5, null, null, EnumSet.allOf(Parameter.class), (Long) getOrDefault(seed), InvalidRows.ERROR,
        MissingValues.fromName(getMissing()), "(in memory)", false, 0, 4096, null, Map.of(), false, false, List.of(),
        false, false, List.of(), spec, java.util.Set.of(), 0.0, org.sparkgmm.config.Storage.MEMORY_AND_DISK, null,
        new org.sparkgmm.config.Checkpointing(null, 0));
    TrainingData data = InputReader.pack(table, source, InputReader.schema(table, source, List.of(),
        getFeaturesCol(), weight, null), List.of(), InvalidRows.ERROR, c.missing(), 0, c.blockRows(), spec);
    try {
      FitResult best = Fitting.best(SparkSession.active(), c, data, LOG::info);
      SparkGmmModel model = new SparkGmmModel(uid, best.model(), SparkGmmSummary.of(best, c.nInit()));
      copyValues(model, ParamMap.empty());
      return model.setParent(this);
    } finally {
      data.release();
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SparkGmmModel.outputSchema(schema, getFeaturesCol(), getOrDefault(predictionCol),
        getOrDefault(probabilityCol));
  }

  @Override
  public SparkGmm copy(ParamMap extra) {
    return (SparkGmm) defaultCopy(extra);
  }

  /** Spark ML's reader (Pipeline loading finds it by reflection). */
  public static MLReader<SparkGmm> read() {
    return new DefaultParamsReader<>();
  }

  public static SparkGmm load(String path) {
    return read().load(path);
  }
}
