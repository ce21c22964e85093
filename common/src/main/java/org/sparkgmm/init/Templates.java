package org.sparkgmm.init;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.component.Component;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.Factor;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.model.Mixture;

/**
 * Mixtures of a given structure whose only job is to gather statistics for a start: Gaussian means
 * and Normal, LogNormal and Student-t locations at the given centres (the statistics are centred
 * there), every other parameter a valid placeholder from the data's moments and ranges. The M-step
 * on statistics gathered under preset responsibilities turns one into a start.
 */
public final class Templates {
  /** Degrees of freedom a Student-t start's row scales are computed with. */
  static final double START_DOF = 10.0;

  private Templates() {}

  /**
   * A template with one component per centre.
   *
   * @param centres {@code [k][d]} in the spec's feature order
   * @param moments the data's weighted means and variances
   * @param ranges the data's ranges (for Categorical and Uniform features), or {@code null} when the
   *     spec has neither
   * @throws IllegalArgumentException when a feature has no spread, or a Categorical feature's
   *     largest code is not an integer
   */
  public static Mixture of(ComponentSpec spec, double[][] centres, DataMoments moments, FeatureRanges ranges) {
    int k = centres.length;
    List<Component> components = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      List<Factor> factors = new ArrayList<>();
      for (ComponentSpec.Block b : spec.blocks()) {
        if (b instanceof ComponentSpec.GaussianBlock g) {
          int[] f = g.indices();
          double[] mean = new double[f.length];
          for (int j = 0; j < f.length; j++) {
            mean[j] = centres[c][f[j]];
          }
          factors.add(new Factor.GaussianBlock(f, g.type(), mean, identity(g.type(), f.length)));
        } else {
          int j = ((ComponentSpec.UnivariateBlock) b).index();
          UnivariateFamily family = spec.family(j);
          factors.add(new Factor.Univariate(j, family,
              placeholder(family, centres[c][j], moments, ranges, j, spec.features().get(j))));
        }
      }
      components.add(new Component(factors));
    }
    double[] weights = new double[k];
    java.util.Arrays.fill(weights, 1.0 / k);
    return Mixture.ofComponents(weights, components, spec.features());
  }

  /** One component's identity covariance in the layout of {@link Factor.GaussianBlock}. */
  private static double[] identity(CovarianceType type, int p) {
    return switch (type) {
      case FULL, TIED -> {
        double[] cov = new double[p * p];
        for (int j = 0; j < p; j++) {
          cov[j * p + j] = 1.0;
        }
        yield cov;
      }
      case DIAG -> {
        double[] cov = new double[p];
        java.util.Arrays.fill(cov, 1.0);
        yield cov;
      }
      case SPHERICAL -> new double[] {1.0};
    };
  }

  private static double[] placeholder(UnivariateFamily f, double centre, DataMoments moments, FeatureRanges ranges,
      int j, String name) {
    double mean = moments.mean()[j];
    double sd = Math.sqrt(Math.max(moments.variance(j), Double.MIN_NORMAL));
    return switch (f) {
      case NORMAL -> new double[] {centre, 1.0};
      case LOG_NORMAL -> new double[] {Math.log(centre), 1.0};
      case EXPONENTIAL -> new double[] {1.0 / Math.max(mean, Double.MIN_NORMAL)};
      case GAMMA -> new double[] {1.0, 1.0 / mean};
      case POISSON -> new double[] {Math.max(mean, 0.0)};
      case BERNOULLI -> new double[] {0.5};
      case CATEGORICAL -> {
        double top = ranges.max(j);
        if (!(top >= 0.0) || top != Math.rint(top) || top >= 1 << 20) {
          throw new IllegalArgumentException("Categorical feature '" + name + "' has largest code " + top
              + ": codes must be integers from 0 to at most 2^20");
        }
        double[] p = new double[(int) top + 1];
        java.util.Arrays.fill(p, 1.0 / p.length);
        yield p;
      }
      case UNIFORM -> {
        double lo = ranges.min(j);
        double hi = ranges.max(j);
        yield new double[] {lo, hi > lo ? hi : lo + 1.0};
      }
      case STUDENT_T -> new double[] {centre, sd, START_DOF};
    };
  }
}
