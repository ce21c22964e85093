package org.sparkgmm.config;

import org.apache.spark.storage.StorageLevel;

/** Where the packed blocks live between passes ({@code --storage}). */
public enum Storage {
  /** In executor memory only; blocks that do not fit are rebuilt from the input when needed. */
  MEMORY("memory", StorageLevel.MEMORY_ONLY()),
  /** In memory, spilling to local disk what does not fit (the default). */
  MEMORY_AND_DISK("memory-and-disk", StorageLevel.MEMORY_AND_DISK()),
  /** Not cached: every pass reads and packs the input again (data far larger than the cluster's memory). */
  NONE("none", StorageLevel.NONE());

  private final String externalName;
  private final StorageLevel level;

  Storage(String externalName, StorageLevel level) {
    this.externalName = externalName;
    this.level = level;
  }

  public String externalName() {
    return externalName;
  }

  /** Spark's storage level for the blocks. */
  public StorageLevel level() {
    return level;
  }

  public static Storage fromName(String name) {
    return ExternalNames.parse(values(), Storage::externalName, "--storage", name);
  }
}
