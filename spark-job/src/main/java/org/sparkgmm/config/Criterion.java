package org.sparkgmm.config;

/** The information criterion {@code gmm select} minimises. */
public enum Criterion {
  BIC("bic"),
  AIC("aic");

  private final String externalName;

  Criterion(String externalName) {
    this.externalName = externalName;
  }

  public String externalName() {
    return externalName;
  }

  /** @throws org.sparkgmm.errors.UsageException for an unknown name */
  public static Criterion fromName(String name) {
    return ExternalNames.parse(values(), Criterion::externalName, "--criterion", name);
  }
}
