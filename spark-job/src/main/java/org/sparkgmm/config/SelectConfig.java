package org.sparkgmm.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.errors.UsageException;

/**
 * What {@code gmm select} needs: the grid of candidates and the settings every candidate's fit
 * shares, validated on construction.
 *
 * @param ks the numbers of components to try, ascending, distinct
 * @param types the covariance types to try, distinct (ignored when the fit has {@code --distributions},
 *     whose structure is the only one tried)
 * @param criterion what to minimise
 * @param fit the shared fit settings (its own k and covariance are the grid's first)
 */
public record SelectConfig(List<Integer> ks, List<CovarianceType> types, Criterion criterion, FitConfig fit) {
  /** The most candidates one run fits: every one shares each data pass. */
  public static final int MAX_CANDIDATES = 1000;

  /** @throws UsageException for an empty or oversized grid, or settings select cannot honour */
  public SelectConfig {
    ks = List.copyOf(ks);
    types = List.copyOf(types);
    ApplyConfig.require(!ks.isEmpty() && !types.isEmpty(), "select needs at least one k and one covariance type");
    ApplyConfig.require((long) ks.size() * types.size() * fit.nInit() <= MAX_CANDIDATES,
        "select would fit " + (long) ks.size() * types.size() * fit.nInit() + " candidates (k values x covariance"
            + " types x n-init), more than " + MAX_CANDIDATES + ": narrow the grid");
  }

  /** The fit settings of one candidate. */
  public FitConfig candidate(int k, CovarianceType type) {
    return fit.withComponents(k, type);
  }

  /** The structures to try on features {@code names}: the fit's {@code --distributions}, else one Gaussian per type. */
  public List<ComponentSpec> specs(List<String> names) {
    if (fit.distributions() != null) {
      return List.of(fit.distributions());
    }
    return types.stream().map(t -> ComponentSpec.gaussian(names, t)).toList();
  }

  /** A structure's name in the table: its covariance type for a Gaussian, else its distributions. */
  public static String label(ComponentSpec spec) {
    return spec.gaussianType().map(CovarianceType::externalName).orElse(spec.format());
  }

  /**
   * Parses a list of k: {@code 1..10}, {@code 2,4,8} or a mix ({@code 1..3,5}).
   *
   * @throws UsageException naming the bad part
   */
  public static List<Integer> parseKs(String text) {
    if (text == null || text.isBlank()) {
      throw new UsageException("--k is required: the numbers of components to try, e.g. 1..10");
    }
    List<Integer> ks = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      try {
        int dots = p.indexOf("..");
        if (dots >= 0) {
          int from = Integer.parseInt(p.substring(0, dots).trim());
          int to = Integer.parseInt(p.substring(dots + 2).trim());
          if (from > to) {
            throw new UsageException("Invalid value for --k: '" + p + "' is an empty range");
          }
          for (int k = from; k <= to; k++) {
            ks.add(k);
          }
        } else {
          ks.add(Integer.parseInt(p));
        }
      } catch (NumberFormatException e) {
        throw new UsageException("Invalid value for --k: '" + p + "' is not a number or a range like 1..10");
      }
    }
    List<Integer> sorted = ks.stream().distinct().sorted().toList();
    if (sorted.get(0) < 1) {
      throw new UsageException("Invalid value for --k: every k must be >= 1, got " + sorted.get(0));
    }
    return sorted;
  }

  /**
   * Parses a list of covariance types ({@code full,diag}); null or {@code all} means all four.
   *
   * @throws UsageException for an unknown type
   */
  public static List<CovarianceType> parseTypes(String text) {
    if (text == null || text.isBlank() || text.trim().toLowerCase(Locale.ROOT).equals("all")) {
      return List.of(CovarianceType.FULL, CovarianceType.TIED, CovarianceType.DIAG, CovarianceType.SPHERICAL);
    }
    List<CovarianceType> types = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        types.add(CovarianceType.fromName(part.trim()));
      } catch (IllegalArgumentException e) {
        throw new UsageException("Invalid value for --covariance: '" + part.trim() + "': use a list of "
            + CovarianceType.names() + " (or all)");
      }
    }
    return types.stream().distinct().toList();
  }
}
