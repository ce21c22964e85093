package org.sparkgmm.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentGroup;
import org.sparkgmm.component.Imputation;
import org.sparkgmm.component.GaussianPart;
import org.sparkgmm.component.GroupStatistics;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.component.Part;
import org.sparkgmm.component.Support;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.Gaussians;

/**
 * An immutable mixture: component weights, the components as {@link ComponentGroup}s over
 * consecutive component indices, and the names of the features.
 *
 * <p>The density is {@code p(x) = sum_c weights[c] * p_c(x)}, each {@code p_c} a product of parts
 * (a multivariate Gaussian over a block of features, or univariate families over single features).
 * A Gaussian mixture of scikit-learn's kind is one group with one {@link GaussianPart} over every
 * feature ({@link #gaussian}).
 */
public final class Mixture implements Serializable, Support {
  private static final long serialVersionUID = 2L;

  private final double[] weights;
  private final double[] logWeights;
  private final List<ComponentGroup> groups;
  private final int[] firsts;
  private final List<String> features;
  private final Map<String, List<String>> categories;

  private Mixture(double[] weights, List<ComponentGroup> groups, List<String> features,
      Map<String, List<String>> categories) {
    this.weights = weights;
    this.groups = groups;
    this.features = features;
    this.categories = categories;
    this.logWeights = new double[weights.length];
    for (int c = 0; c < weights.length; c++) {
      logWeights[c] = Math.log(weights[c]);
    }
    firsts = new int[groups.size()];
    int first = 0;
    for (int g = 0; g < groups.size(); g++) {
      firsts[g] = first;
      first += groups.get(g).components();
    }
  }

  /**
   * Builds a mixture.
   *
   * @param weights one non-negative finite weight per component, summing to 1 within 1e-6 (they are
   *     renormalised)
   * @param groups the components, in order; all over the same number of features d
   * @param features d feature names, or an empty list for {@code x0..x(d-1)}
   * @throws IllegalArgumentException on a bad weight or a shape mismatch
   */
  public static Mixture of(double[] weights, List<ComponentGroup> groups, List<String> features) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("A mixture needs at least one component");
    }
    int d = groups.get(0).dimension();
    int k = 0;
    for (ComponentGroup g : groups) {
      if (g.dimension() != d) {
        throw new IllegalArgumentException("Components over " + d + " and " + g.dimension() + " features");
      }
      k += g.components();
    }
    if (weights.length != k) {
      throw new IllegalArgumentException("Got " + weights.length + " weights for " + k + " components");
    }
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      if (!(weights[c] >= 0.0) || Double.isInfinite(weights[c])) {
        throw new IllegalArgumentException("Weight " + c + " is " + weights[c] + ", must be finite and >= 0");
      }
      sum += weights[c];
    }
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException("Weights sum to " + sum + ", must sum to 1");
    }
    double[] w = new double[k];
    for (int c = 0; c < k; c++) {
      w[c] = weights[c] / sum;
    }
    List<String> names = new ArrayList<>(features);
    if (names.isEmpty()) {
      for (int j = 0; j < d; j++) {
        names.add("x" + j);
      }
    }
    if (names.size() != d) {
      throw new IllegalArgumentException("Got " + names.size() + " feature names for " + d + " features");
    }
    return new Mixture(w, List.copyOf(groups), List.copyOf(names), Map.of());
  }

  /**
   * A mixture of stand-alone components (pomegranate's {@code GeneralMixtureModel(distributions,
   * weights)}); consecutive components of the same structure share one group.
   *
   * @throws IllegalArgumentException on a bad weight, components over different features, or
   *     factors that overlap or leave a feature out
   */
  public static Mixture ofComponents(double[] weights, List<Component> components, List<String> features) {
    if (components.isEmpty()) {
      throw new IllegalArgumentException("A mixture needs at least one component");
    }
    int d = components.get(0).dimension();
    List<ComponentGroup> groups = new ArrayList<>();
    int start = 0;
    while (start < components.size()) {
      int end = start + 1;
      String key = components.get(start).structure();
      while (end < components.size() && components.get(end).structure().equals(key)) {
        end++;
      }
      try {
        groups.add(ComponentGroup.fromComponents(d, components.subList(start, end)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Component " + start + ": " + e.getMessage(), e);
      }
      start = end;
    }
    return of(weights, groups, features);
  }

  /** Component {@code c} as a stand-alone {@link Component}. */
  public Component component(int c) {
    int g = groupOf(c);
    return groups.get(g).component(c - firsts[g]);
  }

  /** A Gaussian mixture: one group, one Gaussian part over every feature. */
  public static Mixture gaussian(double[] weights, Gaussians gaussians, List<String> features) {
    return of(weights, List.of(ComponentGroup.of(gaussians.dimension(), List.of(GaussianPart.over(gaussians)))),
        features);
  }

  /** Number of components k. */
  public int components() {
    return weights.length;
  }

  /** Number of features d. */
  public int dimension() {
    return features.size();
  }

  /** Mixture weights, a copy. */
  public double[] weights() {
    return weights.clone();
  }

  /** Natural logarithms of the weights, a copy. */
  public double[] logWeights() {
    return logWeights.clone();
  }

  /** The component groups, in component order. */
  public List<ComponentGroup> groups() {
    return groups;
  }

  /** Index of the first component of group {@code g}. */
  public int firstComponent(int g) {
    return firsts[g];
  }

  /** The group that holds component {@code c}. */
  public int groupOf(int c) {
    int g = Arrays.binarySearch(firsts, c);
    return g >= 0 ? g : -g - 2;
  }

  /**
   * The Gaussians when this is a Gaussian mixture (one group whose one part is a Gaussian over
   * every feature in order), else empty.
   */
  public Optional<Gaussians> asGaussian() {
    if (groups.size() != 1 || groups.get(0).parts().size() != 1) {
      return Optional.empty();
    }
    Part p = groups.get(0).parts().get(0);
    if (!(p instanceof GaussianPart gp)) {
      return Optional.empty();
    }
    int[] f = gp.features();
    for (int j = 0; j < f.length; j++) {
      if (f[j] != j) {
        return Optional.empty();
      }
    }
    return Optional.of(gp.gaussians());
  }

  /** Feature names, length d. */
  public List<String> features() {
    return features;
  }

  /** The same parameters under other feature names (category labels kept when the names are the same). */
  public Mixture withFeatures(List<String> names) {
    Mixture m = of(weights, groups, names);
    return m.features.equals(features) ? m.withCategories(categories) : m;
  }

  /**
   * New weights and parameters for components of this mixture's structure (an M-step's result):
   * the feature names and category labels carry over without being checked again.
   *
   * @throws IllegalArgumentException as {@link #of}
   */
  public Mixture withParameters(double[] newWeights, List<ComponentGroup> newGroups) {
    Mixture m = of(newWeights, newGroups, features);
    return new Mixture(m.weights, m.groups, m.features, categories);
  }

  /**
   * The same mixture with the labels of categorical features read from string columns: code i of
   * feature {@code name} is {@code labels.get(i)}.
   *
   * @throws IllegalArgumentException when a name is not a feature every component models as a
   *     categorical with that many categories
   */
  public Mixture withCategories(Map<String, List<String>> labels) {
    for (Map.Entry<String, List<String>> e : labels.entrySet()) {
      int j = features.indexOf(e.getKey());
      if (j < 0) {
        throw new IllegalArgumentException("Category labels for '" + e.getKey() + "', which is not a feature");
      }
      for (int c = 0; c < components(); c++) {
        boolean ok = false;
        for (org.sparkgmm.component.Factor f : component(c).factors()) {
          if (f instanceof org.sparkgmm.component.Factor.Univariate u && u.feature() == j
              && u.family() == org.sparkgmm.component.UnivariateFamily.CATEGORICAL
              && u.parameters().length == e.getValue().size()) {
            ok = true;
          }
        }
        if (!ok) {
          throw new IllegalArgumentException("Feature '" + e.getKey() + "' has " + e.getValue().size()
              + " category labels, but component " + c + " does not model it as a categorical of as many categories");
        }
      }
      if (new java.util.HashSet<>(e.getValue()).size() != e.getValue().size()) {
        throw new IllegalArgumentException("Feature '" + e.getKey() + "' lists a category label twice");
      }
    }
    Map<String, List<String>> copy = new java.util.TreeMap<>();
    labels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new Mixture(weights, groups, features, java.util.Collections.unmodifiableMap(copy));
  }

  /** Labels of categorical features read from string columns, by feature name (code i is label i). */
  public Map<String, List<String>> categories() {
    return categories;
  }

  /**
   * Free parameters: every part's, plus k-1 weights (scikit-learn's {@code _n_parameters} for
   * Gaussian mixtures).
   */
  public long parameterCount() {
    long n = components() - 1;
    for (ComponentGroup g : groups) {
      n += g.parameterCount();
    }
    return n;
  }

  /** Scratch doubles {@link #logDensities} needs for a block of {@code rows} rows. */
  public int scratchSize(int rows) {
    int most = 0;
    for (ComponentGroup g : groups) {
      most = Math.max(most, g.scratchSize(rows));
    }
    return most;
  }

  /**
   * Writes {@code log p_c(x_i)} for every row and component into {@code out[c * n + i]}.
   *
   * @param out at least {@code n * k} doubles
   * @param scratch at least {@link #scratchSize(int)} doubles
   * @throws IllegalArgumentException if the block's feature count is not the mixture's
   */
  public void logDensities(RowBlock block, double[] out, double[] scratch) {
    if (block.features() != dimension()) {
      throw new IllegalArgumentException("Block has " + block.features() + " features, the model " + dimension());
    }
    for (int g = 0; g < groups.size(); g++) {
      groups.get(g).logDensities(block, out, firsts[g], scratch);
    }
  }

  /** Empty statistics for the next M-step, gathered at these parameters. */
  public MixtureStatistics emptyStatistics() {
    List<GroupStatistics> s = new ArrayList<>();
    for (ComponentGroup g : groups) {
      s.add(g.emptyStatistics());
    }
    return MixtureStatistics.of(s);
  }

  /**
   * The statistics of {@code rows} rows of data matching this mixture exactly ({@code rows * w_c}
   * for component c; {@link org.sparkgmm.component.Part#expectedStatistics}): the M-step on them
   * returns this mixture. What the mixture's evidence weighs when new rows update it.
   */
  public MixtureStatistics expectedStatistics(double rows, double regCovar) {
    return expectedStatistics(rows, org.sparkgmm.component.Regularisation.absolute(regCovar));
  }

  /** {@link #expectedStatistics(double, double)} for a regularisation that may be relative to the data. */
  public MixtureStatistics expectedStatistics(double rows, org.sparkgmm.component.Regularisation regCovar) {
    List<org.sparkgmm.component.GroupStatistics> out = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      ComponentGroup group = groups.get(g);
      double[] mass = new double[group.components()];
      for (int c = 0; c < mass.length; c++) {
        mass[c] = rows * weights[firsts[g] + c];
      }
      out.add(group.expectedStatistics(mass, regCovar));
    }
    return MixtureStatistics.of(out);
  }

  /** The mean of component {@code c} (moment matched for non-Gaussian parts). */
  public double[] mean(int c) {
    int g = groupOf(c);
    return groups.get(g).mean(c - firsts[g]);
  }

  /** The means of every component, {@code [k][d]}. */
  public double[][] means() {
    double[][] m = new double[components()][];
    for (int c = 0; c < m.length; c++) {
      m[c] = mean(c);
    }
    return m;
  }

  /** The covariance of component {@code c}, {@code [d][d]} (block-diagonal over its parts). */
  public double[][] covariance(int c) {
    int g = groupOf(c);
    return groups.get(g).covariance(c - firsts[g]);
  }

  /** Draws one row from component {@code c}. */
  public void draw(int c, SplittableRandom random, double[] out) {
    int g = groupOf(c);
    groups.get(g).draw(c - firsts[g], random, out);
  }

  /**
   * Why {@code value} of feature {@code feature} cannot be scored by this mixture (outside the
   * support of every component), or {@code null}.
   */
  @Override
  public String outsideSupport(int feature, double value) {
    String reason = null;
    for (ComponentGroup g : groups) {
      String r = g.outsideSupport(feature, value);
      if (r == null) {
        return null;
      }
      reason = r;
    }
    return reason;
  }

  /**
   * How each feature is modelled, for logs and metrics: {@code "full gaussian"} for a Gaussian
   * mixture, else {@code name:model} per feature, with {@code " | "} between groups of different structure.
   */
  public String describe() {
    Optional<Gaussians> g = asGaussian();
    if (g.isPresent()) {
      return g.get().covarianceType().externalName() + " gaussian";
    }
    List<String> out = new ArrayList<>();
    for (ComponentGroup group : groups) {
      List<String> f = new ArrayList<>();
      for (int j = 0; j < dimension(); j++) {
        f.add(features.get(j) + ":" + group.modelOf(j));
      }
      String s = String.join(",", f);
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return String.join(" | ", out);
  }

  /** {@code log p(x_i)} of every row (pomegranate's {@code log_probability}). */
  public double[] logProbability(double[][] rows) {
    Posteriors p = evaluate(rows);
    double[] out = new double[rows.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = p.logLikelihood(i);
    }
    return out;
  }

  /** {@code p(x_i)} of every row. */
  public double[] probability(double[][] rows) {
    double[] out = logProbability(rows);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.exp(out[i]);
    }
    return out;
  }

  /** The most probable component of every row (the first of equals). */
  public int[] predict(double[][] rows) {
    Posteriors p = evaluate(rows);
    int[] out = new int[rows.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = p.prediction(i);
    }
    return out;
  }

  /** {@code log P(c | x_i)}, {@code [n][k]}. */
  public double[][] predictLogProba(double[][] rows) {
    Posteriors p = evaluate(rows);
    double[][] out = new double[rows.length][components()];
    for (int i = 0; i < out.length; i++) {
      for (int c = 0; c < components(); c++) {
        out[i][c] = p.logPosterior(i, c);
      }
    }
    return out;
  }

  /** {@code P(c | x_i)}, {@code [n][k]}. */
  public double[][] predictProba(double[][] rows) {
    double[][] out = predictLogProba(rows);
    for (double[] row : out) {
      for (int c = 0; c < row.length; c++) {
        row[c] = Math.exp(row[c]);
      }
    }
    return out;
  }

  /** {@code n} rows drawn from the mixture; row i depends only on {@code (seed, i)} ({@link MixtureSampler}). */
  public double[][] sample(int n, long seed) {
    MixtureSampler sampler = MixtureSampler.of(this);
    double[][] out = new double[n][dimension()];
    for (int i = 0; i < n; i++) {
      sampler.draw(seed, i, out[i]);
    }
    return out;
  }

  /**
   * The rows with every missing (NaN) value replaced by its conditional expectation given the
   * row's observed values ({@link Imputation}); observed values are kept.
   */
  public double[][] impute(double[][] rows) {
    checkRows(rows, features, true);
    RowBlock block = RowBlock.fromRows(rows, null);
    Posteriors p = Posteriors.of(this);
    p.evaluate(block);
    double[] x = impute(block, p);
    int n = rows.length;
    double[][] out = new double[n][dimension()];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dimension(); j++) {
        out[i][j] = x[j * n + i];
      }
    }
    return out;
  }

  /**
   * The block's values (column-major) with missing values replaced by their conditional
   * expectations, from the posteriors {@code p} has just evaluated on this block.
   */
  public double[] impute(RowBlock block, Posteriors p) {
    if (!block.hasMissing()) {
      return block.columnMajorValues().clone();
    }
    int n = block.rows();
    int k = components();
    double[] post = new double[n * k];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < n; i++) {
        post[c * n + i] = p.posterior(i, c);
      }
    }
    Imputation into = new Imputation(block);
    for (int g = 0; g < groups.size(); g++) {
      groups.get(g).impute(block, post, firstComponent(g), into);
    }
    return into.completed();
  }

  private Posteriors evaluate(double[][] rows) {
    checkRows(rows, features, true);
    Posteriors p = Posteriors.of(this);
    p.evaluate(RowBlock.fromRows(rows, null));
    return p;
  }
}
