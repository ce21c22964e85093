package org.sparkgmm.component;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.data.RowBlock;

/** The statistics of a {@link ComponentGroup}: one {@link PartStatistics} per part. */
public final class GroupStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<PartStatistics> parts;
  private final List<int[]> features;
  private final int k;

  GroupStatistics(List<PartStatistics> parts, List<int[]> features, int k) {
    this.parts = parts;
    this.features = features;
    this.k = k;
  }

  /** Number of components of the group. */
  public int components() {
    return k;
  }

  /** The statistics of part {@code p}. */
  public PartStatistics part(int p) {
    return parts.get(p);
  }

  /**
   * Adds a block (all of the mixture's features) with the group's responsibilities.
   *
   * @param resp column-major {@code n x k} responsibilities of the group's components
   */
  public void add(RowBlock block, double[] resp) {
    for (int p = 0; p < parts.size(); p++) {
      parts.get(p).add(block.columns(features.get(p)), resp);
    }
  }

  /** Adds {@code other} into this and returns this. */
  public GroupStatistics merge(GroupStatistics other) {
    for (int p = 0; p < parts.size(); p++) {
      parts.get(p).merge(other.parts.get(p));
    }
    return this;
  }

  /** A copy with every additive statistic multiplied by {@code factor}. */
  public GroupStatistics scaled(double factor) {
    List<PartStatistics> s = new ArrayList<>();
    for (PartStatistics p : parts) {
      s.add(p.scaled(factor));
    }
    return new GroupStatistics(s, features, k);
  }

  /** These statistics about the parameters of {@code at} ({@link PartStatistics#recentred}). */
  public GroupStatistics recentred(ComponentGroup at) {
    List<PartStatistics> s = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      s.add(parts.get(p).recentred(at.parts().get(p)));
    }
    return new GroupStatistics(s, features, k);
  }

  /** {@code N_c} of the group's component c. */
  public double mass(int c) {
    return parts.get(0).mass(c);
  }
}
