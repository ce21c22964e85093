package org.sparkgmm.config;

import java.util.Locale;

/** How the input is read. */
public enum InputFormat {
  PARQUET("parquet"),
  CSV("csv");

  private final String externalName;

  InputFormat(String externalName) {
    this.externalName = externalName;
  }

  public String externalName() {
    return externalName;
  }

  /** The format named, or guessed from the path's extension when {@code name} is null. */
  public static InputFormat resolve(String name, String path) {
    if (name == null) {
      String p = path.toLowerCase(Locale.ROOT);
      return p.endsWith(".csv") || p.endsWith(".csv.gz") || p.endsWith(".csv.bz2") ? CSV : PARQUET;
    }
    return ExternalNames.parse(values(), InputFormat::externalName, "--format", name);
  }
}
