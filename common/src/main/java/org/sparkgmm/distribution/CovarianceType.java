package org.sparkgmm.distribution;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The four covariance structures of scikit-learn's GaussianMixture. The names are written to
 * model files and the CLI: they are stable, never the ordinal.
 */
public enum CovarianceType {
  /** Each component has its own general covariance matrix. */
  FULL("full"),
  /** All components share one general covariance matrix. */
  TIED("tied"),
  /** Each component has its own diagonal covariance matrix. */
  DIAG("diag"),
  /** Each component has its own single variance. */
  SPHERICAL("spherical");

  private final String externalName;

  CovarianceType(String externalName) {
    this.externalName = externalName;
  }

  /** The stable name used in files and on the command line. */
  public String externalName() {
    return externalName;
  }

  /**
   * Parses a stable name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the valid choices when {@code name} is not one
   */
  public static CovarianceType fromName(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (CovarianceType t : values()) {
      if (t.externalName.equals(wanted)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "Unknown covariance type '" + name + "': use one of " + names());
  }

  /** The valid names, comma separated. */
  public static String names() {
    return Arrays.stream(values()).map(CovarianceType::externalName).collect(Collectors.joining(", "));
  }

  /**
   * Number of free covariance parameters for {@code k} components in {@code d} dimensions
   * (scikit-learn's {@code _n_parameters}).
   */
  public long covarianceParameters(int k, int d) {
    long dd = (long) d * (d + 1) / 2;
    return switch (this) {
      case FULL -> k * dd;
      case TIED -> dd;
      case DIAG -> (long) k * d;
      case SPHERICAL -> k;
    };
  }

  @Override
  public String toString() {
    return externalName;
  }
}
