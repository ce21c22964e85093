package org.sparkgmm.component;

import java.util.ArrayList;
import java.util.List;

/**
 * One mixture component with its parameters: a product of {@link Factor}s over disjoint features
 * (pomegranate's {@code IndependentComponentsDistribution}, with Gaussian blocks besides univariate
 * families). {@code Component.of(normal(5, 4), exponential(1), logNormal(0.4, 0.01))} models feature
 * 0 as Normal, 1 as Exponential and 2 as LogNormal.
 */
public record Component(List<Factor> factors) {
  /** Copies the list. */
  public Component {
    factors = List.copyOf(factors);
    if (factors.isEmpty()) {
      throw new IllegalArgumentException("A component needs at least one factor");
    }
  }

  /** The factors over consecutive features, in order: each factor's features are renumbered from the last. */
  public static Component of(Factor... factors) {
    List<Factor> out = new ArrayList<>();
    int next = 0;
    for (Factor f : factors) {
      int[] to = new int[f.features().length];
      for (int j = 0; j < to.length; j++) {
        to[j] = next++;
      }
      out.add(f.over(to));
    }
    return new Component(out);
  }

  /** Number of features the factors cover. */
  public int dimension() {
    int d = 0;
    for (Factor f : factors) {
      d += f.features().length;
    }
    return d;
  }

  /** The structure key: components with equal keys form one group. */
  public String structure() {
    StringBuilder b = new StringBuilder();
    for (Factor f : factors) {
      b.append(f.structure()).append(';');
    }
    return b.toString();
  }
}
