package org.sparkgmm.component;

import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.AbstractRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.special.Gamma;

/**
 * The univariate families of an {@link IndependentPart}, with their external names (model files,
 * {@code --distributions}) and parameter layouts. Parameters are held as a {@code double[]} per
 * component and feature, in the order of {@link #parameterNames()}:
 *
 * <ul>
 *   <li>{@code normal}: mean, variance;
 *   <li>{@code lognormal}: meanlog, varlog (the Normal of {@code log x}); support {@code x > 0};
 *   <li>{@code exponential}: rate; support {@code x >= 0};
 *   <li>{@code gamma}: shape, rate; support {@code x > 0};
 *   <li>{@code poisson}: lambda; support the non-negative integers;
 *   <li>{@code bernoulli}: p; support {0, 1};
 *   <li>{@code categorical}: the L probabilities of the codes {@code 0..L-1};
 *   <li>{@code uniform}: low, high; support {@code [low, high]};
 *   <li>{@code t} (Student-t): location, scale, dof.
 * </ul>
 *
 * All but Uniform and Student-t are exponential families, {@code log p = T(x)·eta - A + h(x)},
 * which {@link IndependentPart} evaluates as one matrix product. A probability of exactly 0 (a
 * Bernoulli p of 0 or 1, a category or a Poisson lambda of 0) is kept in the parameters, and its
 * logarithm is evaluated as {@link #LOG_PROBABILITY_FLOOR} so that the product stays finite.
 */
public enum UnivariateFamily {
  /** Normal (Gaussian) distribution. */
  NORMAL("normal", "mean", "variance"),
  /** Log-normal: {@code log x} is Normal. */
  LOG_NORMAL("lognormal", "meanlog", "varlog"),
  /** Exponential distribution. */
  EXPONENTIAL("exponential", "rate"),
  /** Gamma distribution (shape and rate). */
  GAMMA("gamma", "shape", "rate"),
  /** Poisson distribution. */
  POISSON("poisson", "lambda"),
  /** Bernoulli distribution over 0 and 1. */
  BERNOULLI("bernoulli", "p"),
  /** Categorical distribution over integer codes {@code 0..L-1}. */
  CATEGORICAL("categorical", "probabilities"),
  /** Continuous uniform distribution. */
  UNIFORM("uniform", "low", "high"),
  /** Student-t with location and scale. */
  STUDENT_T("t", "location", "scale", "dof");

  /** {@code log(1e-300)}: the log of a zero probability as the kernels evaluate it. */
  public static final double LOG_PROBABILITY_FLOOR = Math.log(1e-300);

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private final String externalName;
  private final String[] parameterNames;

  UnivariateFamily(String externalName, String... parameterNames) {
    this.externalName = externalName;
    this.parameterNames = parameterNames;
  }

  /** The stable name in model files and on the command line. */
  public String externalName() {
    return externalName;
  }

  /** The parameter names, in storage order; Categorical has one vector-valued parameter. */
  public String[] parameterNames() {
    return parameterNames.clone();
  }

  /**
   * Parses an external name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known families
   */
  public static UnivariateFamily fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (UnivariateFamily f : values()) {
      if (f.externalName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException("Unknown distribution '" + name + "': use one of " + names());
  }

  /** The external names, comma-separated. */
  public static String names() {
    StringBuilder b = new StringBuilder();
    for (UnivariateFamily f : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(f.externalName);
    }
    return b.toString();
  }

  /** Whether the family is evaluated through its sufficient statistics (all but uniform and t). */
  public boolean exponentialFamily() {
    return this != UNIFORM && this != STUDENT_T;
  }

  /** Whether the family's location follows {@code m} and its spread {@code c} (else all follow {@code m}). */
  boolean locationScale() {
    return this == NORMAL || this == LOG_NORMAL || this == STUDENT_T;
  }

  /** Free parameters of one component's distribution. */
  public int freeParameters(double[] p) {
    return this == CATEGORICAL ? p.length - 1 : parameterNames.length;
  }

  /**
   * Checks one component's parameters.
   *
   * @return {@code null}, or what is wrong
   */
  public String invalid(double[] p) {
    if (this == CATEGORICAL) {
      if (p.length < 1) {
        return "a categorical needs at least one category";
      }
      double sum = 0.0;
      for (double v : p) {
        if (!(v >= 0.0) || v > 1.0) {
          return "category probabilities must lie in [0, 1], got " + v;
        }
        sum += v;
      }
      return Math.abs(sum - 1.0) > 1e-6 ? "category probabilities sum to " + sum + ", not 1" : null;
    }
    if (p.length != parameterNames.length) {
      return externalName + " has " + parameterNames.length + " parameters, got " + p.length;
    }
    for (double v : p) {
      if (!Double.isFinite(v)) {
        return externalName + " parameters must be finite, got " + v;
      }
    }
    return switch (this) {
      case NORMAL, LOG_NORMAL -> p[1] > 0.0 ? null : "the variance must be > 0, got " + p[1];
      case EXPONENTIAL -> p[0] > 0.0 ? null : "the rate must be > 0, got " + p[0];
      case GAMMA -> p[0] > 0.0 && p[1] > 0.0 ? null : "shape and rate must be > 0, got " + p[0] + ", " + p[1];
      case POISSON -> p[0] >= 0.0 ? null : "lambda must be >= 0, got " + p[0];
      case BERNOULLI -> p[0] >= 0.0 && p[0] <= 1.0 ? null : "p must lie in [0, 1], got " + p[0];
      case UNIFORM -> p[1] > p[0] ? null : "high must exceed low, got [" + p[0] + ", " + p[1] + "]";
      case STUDENT_T -> p[1] > 0.0 && p[2] > 0.0 ? null : "scale and dof must be > 0, got " + p[1] + ", " + p[2];
      case CATEGORICAL -> null;
    };
  }

  /**
   * Why {@code x} is outside the family's support, or {@code null} when it is inside. Uniform and
   * Categorical supports depend on the parameters and are checked by the part.
   */
  public String outsideSupport(double x) {
    if (!Double.isFinite(x)) {
      return "is not finite";
    }
    return switch (this) {
      case NORMAL, STUDENT_T, UNIFORM -> null;
      case LOG_NORMAL, GAMMA -> x > 0.0 ? null : "must be > 0 for " + externalName;
      case EXPONENTIAL -> x >= 0.0 ? null : "must be >= 0 for " + externalName;
      case POISSON -> x >= 0.0 && x == Math.rint(x) ? null : "must be a non-negative integer for " + externalName;
      case BERNOULLI -> x == 0.0 || x == 1.0 ? null : "must be 0 or 1 for " + externalName;
      case CATEGORICAL -> x >= 0.0 && x == Math.rint(x) && x < Integer.MAX_VALUE ? null
          : "must be a non-negative integer category code for " + externalName;
    };
  }

  /**
   * {@code log p(x)} of one distribution, evaluated directly (the reference the kernels are
   * tested against). Outside the support it is {@code -Infinity}.
   */
  public double logDensity(double[] p, double x) {
    if (outsideSupport(x) != null) {
      return Double.NEGATIVE_INFINITY;
    }
    return switch (this) {
      case NORMAL -> normal(x, p[0], p[1]);
      case LOG_NORMAL -> normal(Math.log(x), p[0], p[1]) - Math.log(x);
      case EXPONENTIAL -> Math.log(p[0]) - p[0] * x;
      case GAMMA -> p[0] * Math.log(p[1]) - Gamma.logGamma(p[0]) + (p[0] - 1.0) * Math.log(x) - p[1] * x;
      case POISSON -> (x == 0.0 ? 0.0 : x * Math.log(p[0])) - p[0] - Gamma.logGamma(x + 1.0);
      case BERNOULLI -> Math.log(x == 1.0 ? p[0] : 1.0 - p[0]);
      case CATEGORICAL -> x < p.length ? Math.log(p[(int) x]) : Double.NEGATIVE_INFINITY;
      case UNIFORM -> x >= p[0] && x <= p[1] ? -Math.log(p[1] - p[0]) : Double.NEGATIVE_INFINITY;
      case STUDENT_T -> studentT(x, p[0], p[1], p[2]);
    };
  }

  private static double normal(double x, double mean, double variance) {
    double z = x - mean;
    return -0.5 * (LOG_2PI + Math.log(variance)) - 0.5 * z * z / variance;
  }

  /** The Student-t log density; {@code u} and the per-component constant are shared with the part. */
  static double studentT(double x, double location, double scale, double dof) {
    double z = (x - location) / scale;
    return studentTConstant(scale, dof) - 0.5 * (dof + 1.0) * Math.log1p(z * z / dof);
  }

  static double studentTConstant(double scale, double dof) {
    return Gamma.logGamma(0.5 * (dof + 1.0)) - Gamma.logGamma(0.5 * dof) - 0.5 * Math.log(dof * Math.PI)
        - Math.log(scale);
  }

  /** The mean of the distribution (Student-t: its location). */
  public double mean(double[] p) {
    return switch (this) {
      case NORMAL, STUDENT_T -> p[0];
      case LOG_NORMAL -> Math.exp(p[0] + 0.5 * p[1]);
      case EXPONENTIAL -> 1.0 / p[0];
      case GAMMA -> p[0] / p[1];
      case POISSON, BERNOULLI -> p[0];
      case CATEGORICAL -> {
        double m = 0.0;
        for (int l = 0; l < p.length; l++) {
          m += l * p[l];
        }
        yield m;
      }
      case UNIFORM -> 0.5 * (p[0] + p[1]);
    };
  }

  /** The variance (Student-t with {@code dof <= 2}: the squared scale, for reports). */
  public double variance(double[] p) {
    return switch (this) {
      case NORMAL -> p[1];
      case LOG_NORMAL -> Math.expm1(p[1]) * Math.exp(2.0 * p[0] + p[1]);
      case EXPONENTIAL -> 1.0 / (p[0] * p[0]);
      case GAMMA -> p[0] / (p[1] * p[1]);
      case POISSON -> p[0];
      case BERNOULLI -> p[0] * (1.0 - p[0]);
      case CATEGORICAL -> {
        double m = mean(p);
        double v = 0.0;
        for (int l = 0; l < p.length; l++) {
          v += (l - m) * (l - m) * p[l];
        }
        yield v;
      }
      case UNIFORM -> (p[1] - p[0]) * (p[1] - p[0]) / 12.0;
      case STUDENT_T -> p[2] > 2.0 ? p[1] * p[1] * p[2] / (p[2] - 2.0) : p[1] * p[1];
    };
  }

  /** One draw from the distribution. */
  public double draw(double[] p, SplittableRandom random) {
    return switch (this) {
      case NORMAL -> p[0] + Math.sqrt(p[1]) * random.nextGaussian();
      case LOG_NORMAL -> Math.exp(p[0] + Math.sqrt(p[1]) * random.nextGaussian());
      case EXPONENTIAL -> -Math.log1p(-random.nextDouble()) / p[0];
      case GAMMA -> new GammaDistribution(adapt(random), p[0], 1.0 / p[1]).sample();
      case POISSON -> p[0] == 0.0 ? 0.0
          : new PoissonDistribution(adapt(random), p[0], PoissonDistribution.DEFAULT_EPSILON,
              PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
      case BERNOULLI -> random.nextDouble() < p[0] ? 1.0 : 0.0;
      case CATEGORICAL -> {
        double u = random.nextDouble();
        double s = 0.0;
        int last = 0;
        for (int l = 0; l < p.length; l++) {
          if (p[l] > 0.0) {
            last = l;
            s += p[l];
            if (u < s) {
              yield l;
            }
          }
        }
        yield last;
      }
      case UNIFORM -> p[0] + (p[1] - p[0]) * random.nextDouble();
      case STUDENT_T -> {
        double chi2 = 2.0 * new GammaDistribution(adapt(random), 0.5 * p[2], 1.0).sample();
        yield p[0] + p[1] * random.nextGaussian() / Math.sqrt(chi2 / p[2]);
      }
    };
  }

  private static RandomGenerator adapt(SplittableRandom random) {
    return new AbstractRandomGenerator() {
      @Override
      public void setSeed(long seed) {
        throw new UnsupportedOperationException("The generator is seeded by its row");
      }

      @Override
      public double nextDouble() {
        return random.nextDouble();
      }
    };
  }

  /**
   * Solves {@code log a - digamma(a) = s} for {@code a > 0} (the Gamma shape equation, and the
   * Student-t degrees-of-freedom equation with {@code a = dof / 2}): Minka's closed-form start,
   * then Newton's method to full precision. {@code s} below {@code 1e-12} (data without spread) is
   * taken as {@code 1e-12}.
   */
  static double solveShape(double s) {
    double t = Math.max(s, 1e-12);
    double a = (3.0 - t + Math.sqrt((t - 3.0) * (t - 3.0) + 24.0 * t)) / (12.0 * t);
    for (int it = 0; it < 100; it++) {
      double f = Math.log(a) - Polygamma.digamma(a) - t;
      double next = a - f / (1.0 / a - Polygamma.trigamma(a));
      if (!(next > 0.0)) {
        next = a / 2.0;
      }
      boolean done = Math.abs(next - a) <= 1e-15 * a;
      a = next;
      if (done) {
        break;
      }
    }
    return a;
  }
}
