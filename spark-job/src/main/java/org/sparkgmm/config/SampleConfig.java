package org.sparkgmm.config;

import org.sparkgmm.errors.UsageException;

/**
 * What {@code gmm sample} needs, validated on construction.
 *
 * @param model a model.json, or a directory holding one
 * @param n rows to draw, exactly
 * @param seed random seed; row i of the sample depends only on (seed, i)
 * @param partitions partitions (tasks) to draw in; 0 for Spark's default parallelism
 * @param output output directory
 * @param overwrite replace an existing output directory
 */
public record SampleConfig(String model, long n, long seed, int partitions, String output, boolean overwrite) {
  /** @throws UsageException naming the flag and the value */
  public SampleConfig {
    ApplyConfig.require(model != null && !model.isBlank(), "--model is required: a model.json or the output directory of fit");
    ApplyConfig.require(n >= 1, "--n must be >= 1 (the number of rows to draw), got " + n);
    ApplyConfig.require(partitions >= 0, "--partitions must be >= 1 (or 0 for Spark's default), got " + partitions);
    ApplyConfig.require(output != null && !output.isBlank(), "--output is required: the directory to write the sample to");
  }
}
