package org.sparkgmm.cli;

import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.config.UpdateConfig;
import org.sparkgmm.errors.UsageException;
import picocli.CommandLine.Option;

/** The options {@code gmm update} and {@code gmm stream} share: the model, its decay and the EM settings. */
final class UpdateOptions {
  @Option(names = "--model", paramLabel = "PATH", description = "model.json, or the output directory of fit or update.")
  String model;

  @Option(names = "--features-col", paramLabel = "COL",
      description = "The vector or array column holding the features (default: the model's feature columns by name).")
  String featuresCol;

  @Option(names = "--weight-col", paramLabel = "COL", description = "Non-negative row weights (default: 1 per row).")
  String weightCol;

  @Option(names = "--decay", paramLabel = "A", description = "Weight of the model's evidence against the new rows,"
      + " in [0, 1]: 1 keeps it all (default), 0 refits the new rows from the model.")
  Double decay;

  @Option(names = "--half-life", paramLabel = "H", description = "Instead of --decay: updates until the model's"
      + " evidence weighs half (decay 0.5^(1/H)), as Spark's StreamingKMeans.")
  Double halfLife;

  @Option(names = "--model-rows", paramLabel = "N", description = "Effective rows behind the model (default: the model"
      + " file's effective_rows, which fit and update write).")
  Double modelRows;

  @Option(names = "--max-iter", paramLabel = "N", description = "Maximum EM iterations (default 100).")
  int maxIter = 100;

  @Option(names = "--tol", paramLabel = "X", description = "Stop once the new rows' mean log-likelihood changes by less"
      + " (default 1e-3; 1e-6 for a general mixture).")
  Double tol;

  @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals (default 1e-6),"
      + " times each feature's variance in the new rows (see --reg-covar-scale).")
  double regCovar = 1e-6;

  @Option(names = "--reg-covar-scale", paramLabel = "data|absolute", description = "What --reg-covar is relative to:"
      + " data (default: each feature's variance in the new rows, so that the update does not depend on the units) or absolute"
      + " (scikit-learn's reg_covar).")
  String regCovarScale = "data";

  @Option(names = "--invalid-rows", paramLabel = "error|skip", description = "Rows with invalid values: fail (default) or skip them.")
  String invalidRows = "error";

  @Option(names = "--missing", paramLabel = "invalid|marginalize", description = "Null and NaN features: invalid"
      + " (default) or missing values that EM marginalises.")
  String missing = "invalid";

  private org.sparkgmm.em.RegScale regScale() {
    try {
      return org.sparkgmm.em.RegScale.fromName(regCovarScale);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--reg-covar-scale: " + e.getMessage());
    }
  }

  /**
   * The update's settings for these options.
   *
   * @throws UsageException for --decay with --half-life, or a bad value
   */
  UpdateConfig config(String input, InputFormat format, String output, boolean overwrite) {
    if (decay != null && halfLife != null) {
      throw new UsageException("--decay and --half-life say the same thing: give one");
    }
    double a = halfLife != null ? UpdateConfig.decayOfHalfLife(halfLife) : decay != null ? decay : 1.0;
    return new UpdateConfig(model, input, format, featuresCol, weightCol, a, modelRows == null ? Double.NaN : modelRows,
        maxIter, tol == null ? Double.NaN : tol, regCovar, regScale(), InvalidRows.fromName(invalidRows),
        MissingValues.fromName(missing), output, overwrite, 4096);
  }
}
