package org.sparkgmm.config;

import org.sparkgmm.errors.UsageException;

/** What to do with rows holding null, NaN or infinite feature values (or a bad weight). */
public enum InvalidRows {
  /** Fail, naming the count and the first offending row. */
  ERROR("error"),
  /** Drop them and report the count as {@code rows_skipped}. */
  SKIP("skip");

  private final String externalName;

  InvalidRows(String externalName) {
    this.externalName = externalName;
  }

  public String externalName() {
    return externalName;
  }

  public static InvalidRows fromName(String name) {
    for (InvalidRows r : values()) {
      if (r.externalName.equalsIgnoreCase(name.trim())) {
        return r;
      }
    }
    throw new UsageException("Unknown --invalid-rows '" + name + "': use error or skip");
  }
}
