package org.sparkgmm.config;

import org.sparkgmm.errors.UsageException;

/**
 * What {@code gmm update} needs: a fitted model, new rows, and how much the model's evidence still
 * weighs against them.
 *
 * @param model a model.json, or a directory holding one (or model/model.json)
 * @param input the new rows
 * @param format input format
 * @param featuresCol the vector or array column holding the features, or null for the model's columns by name
 * @param weightCol row weights, or null
 * @param decay the weight of the model's evidence, in [0, 1] (0: a fit of the new rows from the model)
 * @param modelRows the effective rows behind the model, or NaN to read them from the model file
 * @param maxIter EM iterations at most
 * @param tol stop once the new rows' mean log-likelihood changes by less than this (NaN: 1e-3 for a
 *     Gaussian mixture, 1e-6 for a general one, as fit)
 * @param regCovar added to covariance diagonals
 * @param regCovarScale what {@code regCovar} is relative to: each feature's variance in the new rows, or nothing
 * @param invalidRows policy for invalid rows
 * @param missing whether null and NaN features are missing values
 * @param output output directory
 * @param overwrite replace an existing output directory
 * @param blockRows rows per packed block
 */
public record UpdateConfig(String model, String input, InputFormat format, String featuresCol, String weightCol,
    double decay, double modelRows, int maxIter, double tol, double regCovar, org.sparkgmm.em.RegScale regCovarScale,
    InvalidRows invalidRows, MissingValues missing, String output, boolean overwrite, int blockRows) {

  /** @throws UsageException naming the flag and the value */
  public UpdateConfig {
    require(model != null && !model.isBlank(), "--model is required: the model to update (a model.json or the"
        + " output directory of fit or update)");
    require(input != null && !input.isBlank(), "--input is required: the new rows");
    require(output != null && !output.isBlank(), "--output is required: the directory to write the updated model to");
    require(decay >= 0 && decay <= 1, "--decay must be in [0, 1] (the weight of the model's evidence), got " + decay);
    require(Double.isNaN(modelRows) || (modelRows > 0 && Double.isFinite(modelRows)),
        "--model-rows must be finite and > 0, got " + modelRows);
    require(maxIter >= 1, "--max-iter must be >= 1, got " + maxIter);
    require(Double.isNaN(tol) || (tol >= 0 && Double.isFinite(tol)), "--tol must be finite and >= 0, got " + tol);
    require(regCovar >= 0 && Double.isFinite(regCovar), "--reg-covar must be finite and >= 0, got " + regCovar);
    require(missing != null && invalidRows != null && regCovarScale != null,
        "--missing, --invalid-rows and --reg-covar-scale need values");
  }

  /** The decay of a half-life of {@code h} updates: {@code 0.5^(1/h)}, as Spark's StreamingKMeans. */
  public static double decayOfHalfLife(double h) {
    require(h > 0 && !Double.isNaN(h), "--half-life must be > 0 (updates until the model's evidence weighs half), got "
        + h);
    return Math.pow(0.5, 1.0 / h);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UsageException(message);
    }
  }
}
