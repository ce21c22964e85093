package org.sparkgmm.em;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What {@code reg_covar} is relative to ({@link org.sparkgmm.component.Regularisation}). */
public enum RegScale {
  /**
   * Each feature's variance in the data being fitted (the default): {@code reg diag(S)}, for
   * spherical the mean variance. The fit does not depend on the features' units.
   */
  DATA("data"),
  /** scikit-learn's {@code reg_covar I}, in the features' own units. */
  ABSOLUTE("absolute");

  private final String externalName;

  RegScale(String externalName) {
    this.externalName = externalName;
  }

  /** The stable name on the command line and in config files. */
  public String externalName() {
    return externalName;
  }

  /**
   * The scale called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static RegScale fromName(String name) {
    for (RegScale s : values()) {
      if (s.externalName.equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown reg-covar scale '" + name + "': use "
        + Arrays.stream(values()).map(RegScale::externalName).collect(Collectors.joining(" or ")));
  }
}
