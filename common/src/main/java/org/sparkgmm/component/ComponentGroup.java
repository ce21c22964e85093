package org.sparkgmm.component;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkgmm.data.RowBlock;

/**
 * Components that share one structure: the same parts over the same features, so that each part
 * evaluates all of the group's components at once (one GEMM for a Gaussian block or for the
 * exponential-family features) and tied covariances, which couple components, stay inside one part.
 * A mixture is a list of groups over consecutive component indices.
 *
 * <p>{@code log p_c(x) = sum over parts P of log P_c(x restricted to P's features)}; the parts'
 * features are disjoint and together are every feature of the mixture.
 */
public final class ComponentGroup implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final int k;
  private final List<Part> parts;
  /** For each mixture feature: the part holding it and its index there (readers ask per value). */
  private final int[] partOf;
  private final int[] indexInPart;

  private ComponentGroup(int dimension, int k, List<Part> parts) {
    this.dimension = dimension;
    this.k = k;
    this.parts = parts;
    partOf = new int[dimension];
    indexInPart = new int[dimension];
    for (int p = 0; p < parts.size(); p++) {
      int[] f = parts.get(p).features();
      for (int j = 0; j < f.length; j++) {
        partOf[f[j]] = p;
        indexInPart[f[j]] = j;
      }
    }
  }

  /**
   * A group of the parts' components over a mixture of {@code dimension} features.
   *
   * @throws IllegalArgumentException if the parts disagree on k, overlap, or miss a feature
   */
  public static ComponentGroup of(int dimension, List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("A component group needs at least one part");
    }
    int k = parts.get(0).components();
    boolean[] covered = new boolean[dimension];
    for (Part p : parts) {
      if (p.components() != k) {
        throw new IllegalArgumentException("Parts of one group must have the same components, got " + k + " and "
            + p.components());
      }
      for (int j : p.features()) {
        if (j < 0 || j >= dimension) {
          throw new IllegalArgumentException("Feature index " + j + " is outside the mixture's " + dimension);
        }
        if (covered[j]) {
          throw new IllegalArgumentException("Feature " + j + " is in two parts of one component");
        }
        covered[j] = true;
      }
    }
    for (int j = 0; j < dimension; j++) {
      if (!covered[j]) {
        throw new IllegalArgumentException("Feature " + j + " is in no part of the component");
      }
    }
    return new ComponentGroup(dimension, k, List.copyOf(parts));
  }

  /**
   * The group of components that share one structure ({@link Component#structure}): its Gaussian
   * factors become one {@link GaussianPart} each, its univariate factors one {@link IndependentPart}.
   *
   * @throws IllegalArgumentException if the structures differ or the factors are not a valid cover
   */
  public static ComponentGroup fromComponents(int dimension, List<Component> components) {
    Component first = components.get(0);
    for (Component c : components) {
      if (!c.structure().equals(first.structure())) {
        throw new IllegalArgumentException("Components of one group need one structure");
      }
    }
    int kg = components.size();
    List<Part> parts = new ArrayList<>();
    List<Integer> univariate = new ArrayList<>();
    for (int p = 0; p < first.factors().size(); p++) {
      if (first.factors().get(p) instanceof Factor.GaussianBlock g) {
        int pd = g.features().length;
        double[][] means = new double[kg][];
        double[] cov = new double[org.sparkgmm.distribution.Gaussians.covarianceLength(g.type(), kg, pd)];
        for (int c = 0; c < kg; c++) {
          Factor.GaussianBlock r = (Factor.GaussianBlock) components.get(c).factors().get(p);
          means[c] = r.mean();
          double[] v = r.covariance();
          System.arraycopy(v, 0, cov, g.type() == org.sparkgmm.distribution.CovarianceType.TIED ? 0 : c * v.length,
              v.length);
        }
        parts.add(GaussianPart.of(g.features(), org.sparkgmm.distribution.Gaussians.of(g.type(), means, cov)));
      } else {
        univariate.add(p);
      }
    }
    if (!univariate.isEmpty()) {
      int m = univariate.size();
      int[] f = new int[m];
      UnivariateFamily[] families = new UnivariateFamily[m];
      double[][][] values = new double[kg][m][];
      for (int j = 0; j < m; j++) {
        Factor.Univariate u = (Factor.Univariate) first.factors().get(univariate.get(j));
        f[j] = u.feature();
        families[j] = u.family();
        for (int c = 0; c < kg; c++) {
          values[c][j] = ((Factor.Univariate) components.get(c).factors().get(univariate.get(j))).parameters();
        }
      }
      parts.add(IndependentPart.of(f, families, values));
    }
    return of(dimension, parts);
  }

  /** Component {@code c} of the group as a stand-alone {@link Component}. */
  public Component component(int c) {
    List<Factor> factors = new ArrayList<>();
    for (Part p : parts) {
      int[] f = p.features();
      if (p instanceof GaussianPart gp) {
        org.sparkgmm.distribution.Gaussians g = gp.gaussians();
        int d = f.length;
        double[] all = g.covarianceValues();
        double[] cov = switch (g.covarianceType()) {
          case FULL -> Arrays.copyOfRange(all, c * d * d, (c + 1) * d * d);
          case TIED -> all;
          case DIAG -> Arrays.copyOfRange(all, c * d, (c + 1) * d);
          case SPHERICAL -> new double[] {all[c]};
        };
        factors.add(new Factor.GaussianBlock(f, g.covarianceType(), g.mean(c), cov));
      } else {
        IndependentPart ip = (IndependentPart) p;
        UnivariateFamily[] families = ip.families();
        for (int j = 0; j < f.length; j++) {
          factors.add(new Factor.Univariate(f[j], families[j], ip.parameters(c, j)));
        }
      }
    }
    return new Component(factors);
  }

  /** Number of components in the group. */
  public int components() {
    return k;
  }

  /** Number of features of the mixture. */
  public int dimension() {
    return dimension;
  }

  /** The parts, in order. */
  public List<Part> parts() {
    return parts;
  }

  /** Scratch doubles {@link #logDensities} needs for a block of {@code rows} rows. */
  public int scratchSize(int rows) {
    int most = 0;
    for (Part p : parts) {
      most = Math.max(most, p.scratchSize(rows));
    }
    return most;
  }

  /**
   * Writes {@code log p_c(x_i)} of the group's components into {@code out[(first + c) * n + i]}.
   *
   * @param scratch at least {@link #scratchSize(int)} doubles, overwritten
   */
  public void logDensities(RowBlock block, double[] out, int first, double[] scratch) {
    int n = block.rows();
    if (parts.size() == 1 && first == 0 && parts.get(0).features().length == dimension) {
      Part only = parts.get(0);
      only.logDensities(block.columns(only.features()), out, scratch);
      return;
    }
    double[] part = new double[n * k];
    Arrays.fill(out, first * n, (first + k) * n, 0.0);
    for (Part p : parts) {
      p.logDensities(block.columns(p.features()), part, scratch);
      for (int q = 0; q < n * k; q++) {
        out[first * n + q] += part[q];
      }
    }
  }

  /** Adds the group's share of the block's imputation ({@link Part#impute}); the block holds all features. */
  public void impute(RowBlock block, double[] posteriors, int first, Imputation into) {
    for (Part p : parts) {
      p.impute(block.columns(p.features()), posteriors, first, into);
    }
  }

  /** Empty statistics for the next M-step, gathered at these parameters. */
  public GroupStatistics emptyStatistics() {
    List<PartStatistics> s = new ArrayList<>();
    List<int[]> f = new ArrayList<>();
    for (Part p : parts) {
      s.add(p.emptyStatistics());
      f.add(p.features());
    }
    return new GroupStatistics(s, f, k);
  }

  /** {@link Part#expectedStatistics} of every part, {@code mass[c]} rows for the group's component c. */
  public GroupStatistics expectedStatistics(double[] mass, Regularisation reg) {
    List<PartStatistics> s = new ArrayList<>();
    List<int[]> f = new ArrayList<>();
    for (Part p : parts) {
      s.add(p.expectedStatistics(mass, reg));
      f.add(p.features());
    }
    return new GroupStatistics(s, f, k);
  }

  /** The M-step of every part. */
  public ComponentGroup estimate(GroupStatistics statistics, Estimation estimation) {
    List<Part> next = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      next.add(parts.get(p).estimate(statistics.part(p), estimation));
    }
    return new ComponentGroup(dimension, k, List.copyOf(next));
  }

  /** Free parameters of the group's components. */
  public long parameterCount() {
    long n = 0;
    for (Part p : parts) {
      n += p.parameterCount();
    }
    return n;
  }

  /** Draws one row (all features) from the group's component {@code c}. */
  public void draw(int c, SplittableRandom random, double[] out) {
    for (Part p : parts) {
      int[] f = p.features();
      double[] v = new double[f.length];
      p.draw(c, random, v);
      for (int j = 0; j < f.length; j++) {
        out[f[j]] = v[j];
      }
    }
  }

  /** The mean of component {@code c}, all features. */
  public double[] mean(int c) {
    double[] m = new double[dimension];
    for (Part p : parts) {
      int[] f = p.features();
      double[] v = p.mean(c);
      for (int j = 0; j < f.length; j++) {
        m[f[j]] = v[j];
      }
    }
    return m;
  }

  /** The covariance of component {@code c}, {@code [d][d]}: block-diagonal over the parts. */
  public double[][] covariance(int c) {
    double[][] s = new double[dimension][dimension];
    for (Part p : parts) {
      int[] f = p.features();
      double[][] v = p.covariance(c);
      for (int a = 0; a < f.length; a++) {
        for (int b = 0; b < f.length; b++) {
          s[f[a]][f[b]] = v[a][b];
        }
      }
    }
    return s;
  }

  /** Why {@code value} of mixture feature {@code feature} is outside every component's support, or null. */
  public String outsideSupport(int feature, double value) {
    return parts.get(partOf[feature]).outsideSupport(indexInPart[feature], value);
  }

  /** How the mixture's feature {@code feature} is modelled: a family name, or a Gaussian covariance type. */
  public String modelOf(int feature) {
    Part p = parts.get(partOf[feature]);
    return p instanceof IndependentPart ip ? ip.families()[indexInPart[feature]].externalName()
        : ((GaussianPart) p).covarianceType().externalName() + " gaussian";
  }
}
