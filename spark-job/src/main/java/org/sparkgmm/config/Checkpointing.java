package org.sparkgmm.config;

import org.apache.hadoop.fs.Path;

/**
 * Where batch EM keeps its state so that a rerun of the same command after the driver died goes on
 * from the last checkpoint ({@code --checkpoint-dir}, {@code --checkpoint-every}).
 *
 * @param dir the directory, or null for the default beside the output ({@code .NAME.checkpoint})
 * @param every save the state after every {@code every} iterations; 0 never
 */
public record Checkpointing(String dir, int every) {
  /** The default: every 5 iterations, beside the output. */
  public static final int DEFAULT_EVERY = 5;

  public Checkpointing {
    if (every < 0) {
      throw new org.sparkgmm.errors.UsageException("--checkpoint-every must be >= 0 (0: no checkpoints), got " + every);
    }
  }

  /** The directory for a run writing {@code output}: {@link #dir}, or the hidden {@code .NAME.checkpoint} beside it. */
  public String directory(String output) {
    if (dir != null) {
      return dir;
    }
    Path out = new Path(output);
    return new Path(out.getParent(), "." + out.getName() + ".checkpoint").toString();
  }
}
