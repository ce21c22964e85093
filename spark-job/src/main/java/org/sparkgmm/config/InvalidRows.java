package org.sparkgmm.config;

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
    return ExternalNames.parse(values(), InvalidRows::externalName, "--invalid-rows", name);
  }
}
