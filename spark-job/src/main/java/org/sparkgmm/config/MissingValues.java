package org.sparkgmm.config;

/** What a null or NaN feature value is ({@code --missing}). */
public enum MissingValues {
  /** Bad input, as an infinite value is: {@code --invalid-rows} decides (the default). */
  INVALID("invalid"),
  /**
   * A missing value: EM, predict and score use the row's observed features (maximum likelihood on
   * what is observed); a row missing every feature is left out and counted.
   */
  MARGINALIZE("marginalize");

  private final String externalName;

  MissingValues(String externalName) {
    this.externalName = externalName;
  }

  public String externalName() {
    return externalName;
  }

  public static MissingValues fromName(String name) {
    return ExternalNames.parse(values(), MissingValues::externalName, "--missing", name);
  }
}
