package org.sparkgmm.component;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sparkgmm.data.MissingPatterns;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.distribution.NotPositiveDefiniteException;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * A multivariate Gaussian over a block of features for every component of a group: the
 * {@link Gaussians} block kernels and {@link GaussianStatistics}, with the covariance algebra of
 * the M-step, as scikit-learn's {@code _estimate_gaussian_parameters}.
 *
 * <p>With {@code delta_k = S1_k / N_k}: mean {@code mu_k = c_k + delta_k}; full covariance
 * {@code S2_k / N_k - delta_k delta_k^T + reg I}; tied {@code (sum_k S2_k - N_k delta_k delta_k^T) /
 * sum_k N_k + reg I}; diag the diagonal of the full one; spherical the mean of the diag one. With the
 * means held, {@code delta} is 0: the covariance is the second moment about the held mean. A
 * re-seeded component gets the pooled covariance of the estimated ones ({@code sum N_j Sigma_j /
 * sum N_j}; tied keeps the shared one); a kept one keeps its mean and covariance (tied: the shared
 * covariance is re-estimated from every component).
 */
public final class GaussianPart implements Part {
  private static final long serialVersionUID = 1L;

  private final int[] features;
  private final Gaussians gaussians;

  private GaussianPart(int[] features, Gaussians gaussians) {
    this.features = features;
    this.gaussians = gaussians;
  }

  /**
   * A Gaussian part over the given mixture features.
   *
   * @throws IllegalArgumentException if the number of features is not the Gaussians' dimension
   */
  public static GaussianPart of(int[] features, Gaussians gaussians) {
    if (features.length != gaussians.dimension()) {
      throw new IllegalArgumentException("A Gaussian over " + gaussians.dimension() + " features was given "
          + features.length + " feature indices");
    }
    return new GaussianPart(features.clone(), gaussians);
  }

  /** A Gaussian part over all of features {@code 0..d-1}, in order. */
  public static GaussianPart over(Gaussians gaussians) {
    int[] all = new int[gaussians.dimension()];
    Arrays.setAll(all, j -> j);
    return new GaussianPart(all, gaussians);
  }

  /** The Gaussians. */
  public Gaussians gaussians() {
    return gaussians;
  }

  /** The covariance structure. */
  public CovarianceType covarianceType() {
    return gaussians.covarianceType();
  }

  @Override
  public String kind() {
    return "gaussian";
  }

  @Override
  public int[] features() {
    return features.clone();
  }

  @Override
  public int components() {
    return gaussians.components();
  }

  @Override
  public int scratchSize(int rows) {
    return gaussians.scratchSize(rows);
  }

  @Override
  public void logDensities(RowBlock block, double[] out, double[] scratch) {
    if (!block.hasMissing()) {
      gaussians.logDensities(block, out, scratch);
      return;
    }
    // Rows with missing values: per pattern, the marginal over the observed features.
    int n = block.rows();
    int k = components();
    for (MissingPatterns.Pattern p : block.missingPatterns()) {
      int[] rows = p.rows();
      if (p.empty()) {
        for (int c = 0; c < k; c++) {
          for (int i : rows) {
            out[c * n + i] = 0.0;
          }
        }
        continue;
      }
      Gaussians marginal = gaussians.marginal(p.observed());
      double[] sub = new double[rows.length * k];
      double[] work = new double[marginal.scratchSize(rows.length)];
      marginal.logDensities(MissingPatterns.gather(block, p), sub, work);
      MissingPatterns.scatterRows(sub, n, k, rows, out);
    }
  }

  @Override
  public void impute(RowBlock block, double[] posteriors, int first, Imputation into) {
    if (!block.hasMissing()) {
      return;
    }
    int n = block.rows();
    int k = components();
    for (MissingPatterns.Pattern p : block.missingPatterns()) {
      int[] obs = p.observed();
      if (obs.length == features.length) {
        continue;
      }
      int[] mis = Gaussians.complement(obs, features.length);
      int m = mis.length;
      for (int c = 0; c < k; c++) {
        double[] mu = gaussians.mean(c);
        double[] b = obs.length == 0 ? new double[0] : gaussians.conditional(c, obs)[0];
        for (int i : p.rows()) {
          double w = posteriors[(first + c) * n + i];
          if (w == 0.0) {
            continue;
          }
          for (int a = 0; a < m; a++) {
            double v = mu[mis[a]];
            for (int q = 0; q < obs.length; q++) {
              v += b[q * m + a] * (block.value(i, obs[q]) - mu[obs[q]]);
            }
            into.add(features[mis[a]], i, w, v);
          }
        }
      }
    }
  }

  @Override
  public PartStatistics emptyStatistics() {
    return new Statistics(GaussianStatistics.at(gaussians));
  }

  @Override
  public PartStatistics expectedStatistics(double[] mass, Regularisation reg) {
    return new Statistics(GaussianStatistics.expected(gaussians, mass, added(reg)));
  }

  @Override
  public long parameterCount() {
    int k = components();
    int d = features.length;
    return covarianceType().covarianceParameters(k, d) + (long) k * d;
  }

  @Override
  public void draw(int c, SplittableRandom random, double[] out) {
    double[] z = new double[features.length];
    for (int j = 0; j < z.length; j++) {
      z[j] = random.nextGaussian();
    }
    gaussians.fromStandardNormal(c, z, out);
  }

  @Override
  public double[] mean(int c) {
    return gaussians.mean(c);
  }

  @Override
  public double[][] covariance(int c) {
    return gaussians.covarianceMatrix(c);
  }

  @Override
  public String outsideSupport(int index, double value) {
    return null;
  }

  @Override
  public Part estimate(PartStatistics statistics, Estimation e) {
    GaussianStatistics s = ((Statistics) statistics).statistics;
    int k = s.components();
    int d = s.dimension();
    CovarianceType type = s.covarianceType();
    boolean newMeans = e.update().contains(Parameter.MEANS);
    boolean newCovariances = e.update().contains(Parameter.COVARIANCES);
    double[] oldCov = gaussians.covarianceValues();
    double[] add = added(e.reg());
    double total = 0.0;
    for (int c = 0; c < k; c++) {
      total += s.weightSum(c);
    }
    double[][] means = new double[k][];
    double[][] deltas = new double[k][d];
    double[] cov = newCovariances ? new double[Gaussians.covarianceLength(type, k, d)] : oldCov.clone();
    boolean[] estimated = new boolean[k];
    for (int c = 0; c < k; c++) {
      double nk = s.weightSum(c);
      means[c] = s.center(c);
      estimated[c] = e.estimated(c);
      if (!estimated[c]) {
        double[] at = e.reseedAt(c, features);
        if (at != null) {
          for (int j = 0; j < d; j++) {
            if (!Double.isNaN(at[j])) { // a row's missing value keeps the old mean there
              means[c][j] = at[j];
            }
          }
        } else if (newCovariances) {
          keepCovariance(type, oldCov, cov, c, d);
        }
        continue;
      }
      double[] delta = newMeans ? s.firstMoment(c) : new double[d];
      // Diagonal and spherical with missing values: per-feature denominators (null: all nk).
      double[] nj = s.featureMass(c);
      for (int j = 0; j < d; j++) {
        double denominator = nj == null ? nk : nj[j];
        delta[j] = denominator > 0.0 ? delta[j] / denominator : 0.0;
        means[c][j] += delta[j];
      }
      deltas[c] = delta;
      if (!newCovariances) {
        continue;
      }
      switch (type) {
        case FULL -> {
          double[] m = s.secondMoment(c);
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              cov[c * d * d + b * d + a] = m[b * d + a] / nk - delta[a] * delta[b];
            }
          }
        }
        case DIAG, SPHERICAL -> {
          double[] s2 = s.secondMoment(c);
          if (nj != null) {
            estimateObserved(type, s2, nj, delta, oldCov, cov, c, d, add);
            continue;
          }
          double avg = 0.0;
          for (int j = 0; j < d; j++) {
            double v = s2[j] / nk - delta[j] * delta[j] + add[j];
            avg += v;
            if (type == CovarianceType.DIAG) {
              cov[c * d + j] = v;
            }
          }
          if (type == CovarianceType.SPHERICAL) {
            cov[c] = avg / d;
          }
        }
        case TIED -> { }
        default -> throw new IllegalStateException("Unhandled covariance type " + type);
      }
    }
    if (newCovariances && type == CovarianceType.TIED) {
      double[] sum = s.secondMoment(0);
      for (int c = 0; c < k; c++) {
        double nk = s.weightSum(c);
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            sum[b * d + a] -= nk * deltas[c][a] * deltas[c][b];
          }
        }
      }
      for (int i = 0; i < sum.length; i++) {
        cov[i] = sum[i] / total;
      }
    }
    if (newCovariances && (type == CovarianceType.FULL || type == CovarianceType.TIED)) {
      int blocks = type == CovarianceType.FULL ? k : 1;
      for (int c = 0; c < blocks; c++) {
        if (type == CovarianceType.TIED || estimated[c]) {
          for (int j = 0; j < d; j++) {
            cov[c * d * d + j * d + j] += add[j];
          }
        }
      }
    }
    reseed(type, s, e, estimated, newCovariances, oldCov, cov, d);
    try {
      return new GaussianPart(features, Gaussians.of(type, means, cov));
    } catch (NotPositiveDefiniteException ex) {
      throw new DegenerateComponentException(ex.getMessage() + " after adding " + e.reg()
          + ": increase reg_covar, use fewer components, or drop features that are constant"
          + " or combinations of others", ex);
    }
  }

  /**
   * Diagonal and spherical variances of component c from the rows where each feature is observed:
   * {@code v_j = S2_j / N_j - delta_j^2}, a feature nobody observed keeps its variance; spherical
   * pools {@code sum_j (S2_j - N_j delta_j^2) / sum_j N_j}.
   */
  private static void estimateObserved(CovarianceType type, double[] s2, double[] nj, double[] delta,
      double[] oldCov, double[] cov, int c, int d, double[] add) {
    double pooled = 0.0;
    double mass = 0.0;
    for (int j = 0; j < d; j++) {
      if (!(nj[j] > 0.0)) {
        if (type == CovarianceType.DIAG) {
          cov[c * d + j] = oldCov[c * d + j];
        }
        continue;
      }
      pooled += s2[j] - nj[j] * delta[j] * delta[j];
      mass += nj[j];
      if (type == CovarianceType.DIAG) {
        cov[c * d + j] = s2[j] / nj[j] - delta[j] * delta[j] + add[j];
      }
    }
    if (type == CovarianceType.SPHERICAL) {
      cov[c] = mass > 0.0 ? pooled / mass + add[0] : oldCov[c];
    }
  }

  private static void keepCovariance(CovarianceType type, double[] from, double[] to, int c, int d) {
    switch (type) {
      case FULL -> System.arraycopy(from, c * d * d, to, c * d * d, d * d);
      case DIAG -> System.arraycopy(from, c * d, to, c * d, d);
      case SPHERICAL -> to[c] = from[c];
      case TIED -> { }
      default -> throw new IllegalStateException("Unhandled covariance type " + type);
    }
  }

  /**
   * What the regularisation adds to the variance of each of this part's features (only variances
   * are regularised): its own for full, tied and diag; for spherical the mean over the part's
   * features, the same for each.
   */
  double[] added(Regularisation reg) {
    double[] add = new double[features.length];
    if (gaussians.covarianceType() == CovarianceType.SPHERICAL) {
      java.util.Arrays.fill(add, reg.spherical(features));
    } else {
      for (int a = 0; a < add.length; a++) {
        add[a] = reg.variance(features[a]);
      }
    }
    return add;
  }

  /** Gives re-seeded components the pooled covariance of the estimated ones (or the old one when held). */
  private static void reseed(CovarianceType type, GaussianStatistics s, Estimation e, boolean[] estimated,
      boolean newCovariances, double[] oldCov, double[] cov, int d) {
    if (type == CovarianceType.TIED) {
      return;
    }
    int size = type == CovarianceType.FULL ? d * d : type == CovarianceType.DIAG ? d : 1;
    double[] pooled = new double[size];
    double mass = 0.0;
    for (int c = 0; c < estimated.length; c++) {
      if (estimated[c]) {
        double nk = s.weightSum(c);
        mass += nk;
        for (int i = 0; i < size; i++) {
          pooled[i] += nk * cov[c * size + i];
        }
      }
    }
    for (int c = 0; c < estimated.length; c++) {
      if (e.reseedAt()[c] == null) {
        continue;
      }
      if (!newCovariances || !(mass > 0.0)) {
        keepCovariance(type, oldCov, cov, c, d);
      } else {
        for (int i = 0; i < size; i++) {
          cov[c * size + i] = pooled[i] / mass;
        }
      }
    }
  }

  /**
   * The Gaussian statistics inside statistics a Gaussian part made.
   *
   * @throws IllegalArgumentException if {@code s} was not made by a Gaussian part
   */
  public static GaussianStatistics statistics(PartStatistics s) {
    if (!(s instanceof Statistics g)) {
      throw new IllegalArgumentException("Not the statistics of a Gaussian part");
    }
    return g.statistics;
  }

  /** {@link GaussianStatistics} behind the part contract. */
  static final class Statistics implements PartStatistics {
    private static final long serialVersionUID = 1L;
    final GaussianStatistics statistics;

    Statistics(GaussianStatistics statistics) {
      this.statistics = statistics;
    }

    @Override
    public void add(RowBlock block, double[] resp) {
      statistics.add(block, resp);
    }

    @Override
    public PartStatistics merge(PartStatistics other) {
      statistics.merge(((Statistics) other).statistics);
      return this;
    }

    @Override
    public PartStatistics scaled(double factor) {
      return new Statistics(statistics.scaled(factor));
    }

    @Override
    public PartStatistics recentred(Part at) {
      return new Statistics(statistics.recentred(((GaussianPart) at).gaussians));
    }

    @Override
    public double mass(int c) {
      return statistics.weightSum(c);
    }
  }
}
