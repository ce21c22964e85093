package org.sparkgmm.init;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How EM is started when no {@code --init-model} is given. */
public enum InitMode {
  /**
   * k-means|| (Bahmani et al., 2012): a few distributed sampling rounds with oversampling 2k,
   * greedy k-means++ on the weighted candidates, then {@code --init-iter} distributed Lloyd passes;
   * the start is the weights, means and covariances of the final k-means partition.
   */
  KMEANS_PARALLEL("kmeans-parallel"),
  /** Exact k-means++ (one pass per centre, for small data), then Lloyd passes as above. */
  KMEANS_PLUS_PLUS("kmeans++"),
  /** Random responsibilities per row, then an M-step (scikit-learn's 'random'). */
  RANDOM("random"),
  /**
   * k distinct rows drawn uniformly (independently of partitioning); every row is assigned to its
   * nearest drawn row, and the start is the weights, means and covariances of that partition
   * (scikit-learn's random_from_data).
   */
  RANDOM_FROM_DATA("random-from-data"),
  /**
   * mclust's start: model-based agglomerative hierarchical clustering of a bounded sample (2000
   * complete rows drawn in one pass), in whitened coordinates, cut at k clusters; the start is the
   * weights, means and covariances of those clusters. The same in any linear coordinates.
   */
  HC("hc");

  private final String externalName;

  InitMode(String externalName) {
    this.externalName = externalName;
  }

  /** The stable name on the command line and in config files. */
  public String externalName() {
    return externalName;
  }

  /**
   * The mode named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the valid names
   */
  public static InitMode fromName(String name) {
    for (InitMode m : values()) {
      if (m.externalName.equalsIgnoreCase(name.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown --init '" + name + "': use "
        + Arrays.stream(values()).map(InitMode::externalName).collect(Collectors.joining(" or ")));
  }
}
