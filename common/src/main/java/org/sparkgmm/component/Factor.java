package org.sparkgmm.component;

import java.util.Arrays;
import org.sparkgmm.distribution.CovarianceType;

/**
 * One factor of a single component, with its parameters: a Gaussian over a block of features or a
 * univariate family over one feature. A {@link Component} is a product of factors; a
 * {@link ComponentGroup} holds many components of one structure in the form the kernels use.
 */
public sealed interface Factor permits Factor.GaussianBlock, Factor.Univariate {
  /** The mixture features the factor covers, in its order; a copy. */
  int[] features();

  /** The same factor over other mixture features (same count). */
  Factor over(int[] features);

  /** What must be equal for two components to share one group (kinds, features, types, categories). */
  String structure();

  /**
   * A Gaussian over a block of features.
   *
   * @param covariance full: the {@code p x p} matrix column-major; diag: p variances; spherical: one
   *     variance; tied: the shared {@code p x p} matrix (components with equal matrices share it)
   */
  record GaussianBlock(int[] features, CovarianceType type, double[] mean, double[] covariance) implements Factor {
    /** Copies the arrays and checks their lengths. */
    public GaussianBlock {
      features = features.clone();
      mean = mean.clone();
      covariance = covariance.clone();
      int p = features.length;
      int expected = switch (type) {
        case FULL, TIED -> p * p;
        case DIAG -> p;
        case SPHERICAL -> 1;
      };
      if (p < 1 || mean.length != p || covariance.length != expected) {
        throw new IllegalArgumentException("A " + type.externalName() + " Gaussian over " + p + " features needs "
            + p + " mean values and " + expected + " covariance values, got " + mean.length + " and "
            + covariance.length);
      }
    }

    @Override
    public int[] features() {
      return features.clone();
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[] covariance() {
      return covariance.clone();
    }

    @Override
    public Factor over(int[] to) {
      return new GaussianBlock(to, type, mean, covariance);
    }

    @Override
    public String structure() {
      return "gaussian" + Arrays.toString(features) + type.externalName()
          + (type == CovarianceType.TIED ? Arrays.toString(covariance) : "");
    }
  }

  /** A univariate family over one feature, parameters as {@link UnivariateFamily} lays them out. */
  record Univariate(int feature, UnivariateFamily family, double[] parameters) implements Factor {
    /** Copies and checks the parameters. */
    public Univariate {
      parameters = parameters.clone();
      String bad = family.invalid(parameters);
      if (bad != null) {
        throw new IllegalArgumentException(family.externalName() + ": " + bad);
      }
    }

    @Override
    public double[] parameters() {
      return parameters.clone();
    }

    @Override
    public int[] features() {
      return new int[] {feature};
    }

    @Override
    public Factor over(int[] to) {
      return new Univariate(to[0], family, parameters);
    }

    @Override
    public String structure() {
      return "univariate" + feature + family.externalName()
          + (family == UnivariateFamily.CATEGORICAL ? "/" + parameters.length : "");
    }
  }

  /** A Normal with this mean and variance (pomegranate's {@code NormalDistribution} takes the standard deviation). */
  static Factor normal(double mean, double variance) {
    return new Univariate(0, UnivariateFamily.NORMAL, new double[] {mean, variance});
  }

  /** A LogNormal: {@code log x} is Normal with this mean and variance. */
  static Factor logNormal(double meanLog, double varianceLog) {
    return new Univariate(0, UnivariateFamily.LOG_NORMAL, new double[] {meanLog, varianceLog});
  }

  /** An Exponential with this rate. */
  static Factor exponential(double rate) {
    return new Univariate(0, UnivariateFamily.EXPONENTIAL, new double[] {rate});
  }

  /** A Gamma with this shape and rate. */
  static Factor gamma(double shape, double rate) {
    return new Univariate(0, UnivariateFamily.GAMMA, new double[] {shape, rate});
  }

  /** A Poisson with this mean. */
  static Factor poisson(double lambda) {
    return new Univariate(0, UnivariateFamily.POISSON, new double[] {lambda});
  }

  /** A Bernoulli with this probability of 1. */
  static Factor bernoulli(double p) {
    return new Univariate(0, UnivariateFamily.BERNOULLI, new double[] {p});
  }

  /** A Categorical over the codes {@code 0..L-1} with these probabilities. */
  static Factor categorical(double... probabilities) {
    return new Univariate(0, UnivariateFamily.CATEGORICAL, probabilities);
  }

  /** A Uniform over {@code [low, high]}. */
  static Factor uniform(double low, double high) {
    return new Univariate(0, UnivariateFamily.UNIFORM, new double[] {low, high});
  }

  /** A Student-t with this location, scale and degrees of freedom. */
  static Factor studentT(double location, double scale, double dof) {
    return new Univariate(0, UnivariateFamily.STUDENT_T, new double[] {location, scale, dof});
  }

  /** A full-covariance Gaussian over {@code mean.length} features, the covariance given by rows. */
  static Factor gaussian(double[] mean, double[][] covariance) {
    int p = mean.length;
    double[] cm = new double[p * p];
    for (int a = 0; a < p; a++) {
      if (covariance[a].length != p) {
        throw new IllegalArgumentException("Covariance row " + a + " has " + covariance[a].length + " values, expected " + p);
      }
      for (int b = 0; b < p; b++) {
        cm[b * p + a] = covariance[a][b];
      }
    }
    int[] f = new int[p];
    Arrays.setAll(f, j -> j);
    return new GaussianBlock(f, CovarianceType.FULL, mean, cm);
  }
}
