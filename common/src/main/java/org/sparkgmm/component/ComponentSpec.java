package org.sparkgmm.component;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sparkgmm.distribution.CovarianceType;

/**
 * The structure every component of a fit gets: the features in model order, each in a Gaussian
 * block (any covariance type) or modelled by a univariate family. Written as {@code --distributions}
 * takes it: comma-separated {@code name:family} items, and {@code (a,b,c):type} for one Gaussian over
 * several features, e.g. {@code "(a,b,c):full,d:poisson,e:categorical"}; {@code x:diag} is a
 * one-feature Gaussian block. Families: {@link UnivariateFamily#names()}; types: full, diag, tied,
 * spherical. Names are trimmed; they cannot contain {@code , : ( )}.
 */
public final class ComponentSpec implements Support {
  private static final long serialVersionUID = 1L;

  /** One factor of the structure. */
  public sealed interface Block extends Serializable permits GaussianBlock, UnivariateBlock {
    /** The indices of the block's features in {@link ComponentSpec#features()}. */
    int[] indices();
  }

  /** A Gaussian over the features at {@code indices}. */
  public record GaussianBlock(int[] indices, CovarianceType type) implements Block {
    /** Copies the indices. */
    public GaussianBlock {
      indices = indices.clone();
    }

    @Override
    public int[] indices() {
      return indices.clone();
    }
  }

  /** A univariate family over the feature at {@code index}. */
  public record UnivariateBlock(int index, UnivariateFamily family) implements Block {
    @Override
    public int[] indices() {
      return new int[] {index};
    }
  }

  private final List<String> features;
  private final List<Block> blocks;
  private final UnivariateFamily[] families;

  private ComponentSpec(List<String> features, List<Block> blocks) {
    this.features = List.copyOf(features);
    this.blocks = List.copyOf(blocks);
    families = new UnivariateFamily[features.size()];
    for (Block b : blocks) {
      if (b instanceof UnivariateBlock u) {
        families[u.index()] = u.family();
      }
    }
  }

  /** One Gaussian of {@code type} over all {@code features}, in order (today's {@code --covariance}). */
  public static ComponentSpec gaussian(List<String> features, CovarianceType type) {
    int[] all = new int[features.size()];
    for (int j = 0; j < all.length; j++) {
      all[j] = j;
    }
    return new ComponentSpec(features, List.of(new GaussianBlock(all, type)));
  }

  /** One univariate family per feature (pomegranate's {@code from_samples([Normal, Exponential, ...])}). */
  public static ComponentSpec independent(List<String> features, List<UnivariateFamily> families) {
    if (features.size() != families.size() || features.isEmpty()) {
      throw new IllegalArgumentException("Need one family per feature, got " + families.size() + " for "
          + features.size());
    }
    List<Block> blocks = new ArrayList<>();
    for (int j = 0; j < features.size(); j++) {
      blocks.add(new UnivariateBlock(j, families.get(j)));
    }
    return new ComponentSpec(features, blocks);
  }

  /**
   * Parses the {@code --distributions} syntax of the class comment.
   *
   * @throws IllegalArgumentException naming the item that is wrong and what is expected
   */
  public static ComponentSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the distributions are empty: give name:family items, e.g. "
          + "\"x:normal,y:exponential\" or \"(a,b):full,c:poisson\"");
    }
    List<String> items = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char ch : text.toCharArray()) {
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
        if (depth < 0) {
          throw new IllegalArgumentException("unbalanced ')' in distributions \"" + text + "\"");
        }
      }
      if (ch == ',' && depth == 0) {
        items.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced '(' in distributions \"" + text + "\"");
    }
    items.add(cur.toString());
    List<String> features = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    List<Block> blocks = new ArrayList<>();
    for (String raw : items) {
      String item = raw.trim();
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw new IllegalArgumentException("distribution item \"" + item + "\" is not name:family or (a,b,...):type");
      }
      String left = item.substring(0, colon).trim();
      String model = item.substring(colon + 1).trim();
      List<String> names = new ArrayList<>();
      boolean block = left.startsWith("(") && left.endsWith(")");
      for (String n : (block ? left.substring(1, left.length() - 1) : left).split(",", -1)) {
        String name = n.trim();
        if (name.isEmpty() || name.contains("(") || name.contains(")") || name.contains(":")) {
          throw new IllegalArgumentException("distribution item \"" + item + "\" has an empty or invalid feature name");
        }
        if (seen.containsKey(name)) {
          throw new IllegalArgumentException("feature '" + name + "' is named twice in the distributions");
        }
        seen.put(name, features.size());
        names.add(name);
        features.add(name);
      }
      Optional<CovarianceType> type = covarianceType(model);
      if (type.isPresent()) {
        int[] idx = new int[names.size()];
        for (int j = 0; j < idx.length; j++) {
          idx[j] = seen.get(names.get(j));
        }
        blocks.add(new GaussianBlock(idx, type.get()));
      } else if (block) {
        throw new IllegalArgumentException("distribution item \"" + item + "\": a block of features takes a Gaussian"
            + " covariance type (full, diag, tied, spherical), not '" + model + "'");
      } else {
        UnivariateFamily family;
        try {
          family = UnivariateFamily.fromName(model);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("distribution item \"" + item + "\": unknown family '" + model
              + "'; use one of " + UnivariateFamily.names() + ", or a covariance type full, diag, tied, spherical", e);
        }
        blocks.add(new UnivariateBlock(seen.get(names.get(0)), family));
      }
    }
    return new ComponentSpec(features, blocks);
  }

  private static Optional<CovarianceType> covarianceType(String name) {
    for (CovarianceType t : CovarianceType.values()) {
      if (t.externalName().equalsIgnoreCase(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The features, in model order. */
  public List<String> features() {
    return features;
  }

  /** The factors. */
  public List<Block> blocks() {
    return blocks;
  }

  /** The covariance type when the structure is one Gaussian over every feature in order. */
  public Optional<CovarianceType> gaussianType() {
    if (blocks.size() == 1 && blocks.get(0) instanceof GaussianBlock g) {
      return Optional.of(g.type());
    }
    return Optional.empty();
  }

  /** The family of feature {@code j}, or {@code null} when it is in a Gaussian block. */
  public UnivariateFamily family(int j) {
    return families[j];
  }

  @Override
  public String outsideSupport(int j, double value) {
    return families[j] == null ? null : families[j].outsideSupport(value);
  }

  /** The spec in the {@code --distributions} syntax. */
  public String format() {
    List<String> items = new ArrayList<>();
    for (Block b : blocks) {
      if (b instanceof GaussianBlock g) {
        List<String> names = new ArrayList<>();
        for (int j : g.indices()) {
          names.add(features.get(j));
        }
        items.add((names.size() == 1 ? names.get(0) : "(" + String.join(",", names) + ")") + ":"
            + g.type().externalName());
      } else {
        UnivariateBlock u = (UnivariateBlock) b;
        items.add(features.get(u.index()) + ":" + u.family().externalName());
      }
    }
    return String.join(",", items);
  }

  @Override
  public String toString() {
    return format();
  }
}
