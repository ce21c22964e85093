package org.sparkgmm.config;

import java.util.List;
import org.sparkgmm.errors.UsageException;

/**
 * What {@code gmm predict} and {@code gmm score} need: a fitted model and a table to apply it to,
 * validated on construction.
 *
 * @param model a model.json, or a directory holding one (or model/model.json)
 * @param input input path (file:, hdfs://, s3a://, or local)
 * @param format input format
 * @param featuresCol the vector or array column holding the features, or null to find the model's
 *     feature columns by name
 * @param weightCol row weights (score only), or null
 * @param keepCols input columns copied to the predictions (predict only)
 * @param logProba also write the log posteriors (predict only)
 * @param invalidRows policy for rows with null/NaN/infinite features
 * @param missing whether null and NaN features are missing values ({@code --missing marginalize})
 * @param impute also write every feature with its missing values replaced by their conditional
 *     expectations (predict only, needs {@code missing})
 * @param output output directory (required by predict; score writes metrics.json there when given)
 * @param overwrite replace an existing output directory
 * @param blockRows rows per block evaluated at once
 */
public record ApplyConfig(String model, String input, InputFormat format, String featuresCol, String weightCol,
    List<String> keepCols, boolean logProba, InvalidRows invalidRows, MissingValues missing, boolean impute,
    String output, boolean overwrite, int blockRows) {

  /** @throws UsageException naming the flag and the value */
  public ApplyConfig {
    keepCols = List.copyOf(keepCols);
    require(model != null && !model.isBlank(), "--model is required: a model.json or the output directory of fit");
    require(input != null && !input.isBlank(), "--input is required: the data to apply the model to");
    require(missing != null, "--missing must be invalid or marginalize");
    require(!impute || missing == MissingValues.MARGINALIZE, "--impute fills in missing values: add --missing"
        + " marginalize (without it a null or NaN feature is invalid)");
    require(blockRows >= 1, "block rows must be >= 1, got " + blockRows);
    require(keepCols.stream().distinct().count() == keepCols.size(), "--keep-cols lists a column twice: " + keepCols);
    for (String c : keepCols) {
      require(!c.isBlank(), "--keep-cols has an empty column name");
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new UsageException(message);
    }
  }
}
