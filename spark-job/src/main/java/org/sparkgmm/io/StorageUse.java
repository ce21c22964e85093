package org.sparkgmm.io;

import java.util.Locale;

/**
 * Where the packed blocks are, as Spark's block manager reports them: how many partitions are
 * cached and how many bytes sit in executor memory and on the executors' local disks.
 *
 * @param storage {@code --storage}: memory, memory-and-disk or none
 * @param partitions partitions of the blocks
 * @param cachedPartitions partitions Spark holds (in memory or on disk); the rest are rebuilt from the input when needed
 * @param memoryBytes bytes held in executor memory
 * @param diskBytes bytes spilled to the executors' local disks
 */
public record StorageUse(String storage, int partitions, int cachedPartitions, long memoryBytes, long diskBytes) {

  /** For the progress line: {@code memory-and-disk (12 of 12 partitions cached: 0.12 GB in memory, 1.38 GB on disk)}. */
  public String describe() {
    if ("none".equals(storage)) {
      return "none (blocks not cached: every pass reads the input again)";
    }
    return String.format(Locale.ROOT, "%s (%d of %d partitions cached: %s in memory, %s on disk)", storage,
        cachedPartitions, partitions, bytes(memoryBytes), bytes(diskBytes));
  }

  private static String bytes(long b) {
    if (b >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
  }
}
