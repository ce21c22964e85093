package org.sparkgmm.component;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparkgmm.data.RowBlock;

/**
 * The statistics of a whole mixture: one {@link GroupStatistics} per component group. Mergeable
 * and scalable as its parts are.
 */
public final class MixtureStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<GroupStatistics> groups;

  private MixtureStatistics(List<GroupStatistics> groups) {
    this.groups = groups;
  }

  /** Statistics made of the groups' statistics, in component order. */
  public static MixtureStatistics of(List<GroupStatistics> groups) {
    return new MixtureStatistics(new ArrayList<>(groups));
  }

  /** The statistics of group {@code g}. */
  public GroupStatistics group(int g) {
    return groups.get(g);
  }

  /** Number of groups. */
  public int groups() {
    return groups.size();
  }

  /**
   * Adds a block with responsibilities for every component of the mixture.
   *
   * @param resp column-major {@code n x k} responsibilities
   */
  public void add(RowBlock block, double[] resp) {
    int n = block.rows();
    int first = 0;
    for (int g = 0; g < groups.size(); g++) {
      int k = groups.get(g).components();
      double[] r = groups.size() == 1 ? resp : Arrays.copyOfRange(resp, first * n, (first + k) * n);
      groups.get(g).add(block, r);
      first += k;
    }
  }

  /** {@code N_c} of the mixture's component {@code c}. */
  public double mass(int c) {
    int first = 0;
    for (GroupStatistics g : groups) {
      if (c < first + g.components()) {
        return g.mass(c - first);
      }
      first += g.components();
    }
    throw new IllegalArgumentException("Component " + c + " is outside the statistics");
  }

  /** Total number of components. */
  public int components() {
    int k = 0;
    for (GroupStatistics g : groups) {
      k += g.components();
    }
    return k;
  }

  /** Adds {@code other} into this and returns this. */
  public MixtureStatistics merge(MixtureStatistics other) {
    for (int g = 0; g < groups.size(); g++) {
      groups.get(g).merge(other.groups.get(g));
    }
    return this;
  }

  /**
   * These statistics about the parameters of {@code at}, a mixture of the same structure, so that
   * they merge with statistics gathered at it ({@link PartStatistics#recentred}).
   */
  public MixtureStatistics recentred(org.sparkgmm.model.Mixture at) {
    List<GroupStatistics> s = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      s.add(groups.get(g).recentred(at.groups().get(g)));
    }
    return new MixtureStatistics(s);
  }

  /** A copy with every additive statistic multiplied by {@code factor} (stepwise EM's blend). */
  public MixtureStatistics scaled(double factor) {
    List<GroupStatistics> s = new ArrayList<>();
    for (GroupStatistics g : groups) {
      s.add(g.scaled(factor));
    }
    return new MixtureStatistics(s);
  }
}
