package org.sparkgmm.config;

/** How EM is started when no {@code --init-model} is given. */
public enum InitMode {
  /**
   * k distinct rows drawn uniformly (independently of partitioning); every row is assigned to its
   * nearest drawn row, and the start is the weights, means and covariances of that partition
   * (scikit-learn's random_from_data).
   */
  RANDOM_FROM_DATA("random-from-data");

  private final String externalName;

  InitMode(String externalName) {
    this.externalName = externalName;
  }

  public String externalName() {
    return externalName;
  }

  public static InitMode fromName(String name) {
    return ExternalNames.parse(values(), InitMode::externalName, "--init", name);
  }
}
