package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.distribution.NotPositiveDefiniteException;
import org.sparkgmm.model.GaussianMixtureModel;
import org.sparkgmm.stats.GaussianStatistics;

/**
 * The M-step: new weights, means and covariances from merged statistics, as scikit-learn's
 * {@code _estimate_gaussian_parameters} (maximum likelihood plus {@code reg_covar} on the diagonal).
 *
 * <p>With {@code delta_k = S1_k / N_k}: mean {@code mu_k = c_k + delta_k}; full covariance
 * {@code S2_k / N_k - delta_k delta_k^T + reg I}; tied {@code (sum_k S2_k - N_k delta_k delta_k^T) /
 * sum_k N_k + reg I}; diag the diagonal of the full one; spherical the mean of the diag one. When
 * the means are held fixed ({@link Parameter}), {@code delta} is taken as 0: the covariance is the
 * second moment about the fixed mean {@code c_k}. Parameters not updated keep their previous value.
 *
 * <p>Re-seeding policy: a component whose responsibility mass {@code N_k} falls below the
 * collapse threshold gets the next worst-explained row as its mean, the pooled covariance of the
 * surviving components ({@code sum N_j Sigma_j / sum N_j}; tied keeps the shared one) and weight
 * {@code 1/k}, the survivors' weights scaled to fill the rest. With means held fixed a collapsed
 * component keeps its mean and covariance.
 */
public final class MStep {
  private MStep() {}

  /** The new model and which components were re-seeded. */
  public record Result(GaussianMixtureModel model, List<Integer> reseeded) {
    public Result {
      reseeded = List.copyOf(reseeded);
    }
  }

  /**
   * Updates every parameter; a component without any responsibility is an error.
   *
   * @param previous supplies the feature names (its means are the statistics' centres)
   * @throws IllegalStateException naming the component and the cure when a component received no
   *     responsibility at all, or its covariance is not positive definite even with {@code regCovar}
   */
  public static GaussianMixtureModel update(GaussianMixtureModel previous, GaussianStatistics s, double regCovar) {
    return update(previous, s, regCovar, EnumSet.allOf(Parameter.class), 0.0, List.of()).model();
  }

  /**
   * Updates the parameters in {@code update}, re-seeding collapsed components.
   *
   * @param previous the model the statistics were gathered with (its means are their centres)
   * @param collapseBelow a component with {@code N_k} below this (or not positive) has collapsed
   * @param reseedRows rows to re-seed collapsed components at, worst explained first; when there are
   *     fewer than the collapsed components, the rest is an error
   * @throws IllegalStateException when a collapsed component cannot be re-seeded, or a covariance is
   *     not positive definite even with {@code regCovar}
   */
  public static Result update(GaussianMixtureModel previous, GaussianStatistics s, double regCovar,
      Set<Parameter> update, double collapseBelow, List<double[]> reseedRows) {
    int k = s.components();
    int d = s.dimension();
    CovarianceType type = s.covarianceType();
    boolean newWeights = update.contains(Parameter.WEIGHTS);
    boolean newMeans = update.contains(Parameter.MEANS);
    boolean newCovariances = update.contains(Parameter.COVARIANCES);
    double[] oldCov = previous.gaussians().covarianceValues();
    double total = 0.0;
    boolean[] collapsed = new boolean[k];
    List<Integer> reseeded = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      total += s.weightSum(c);
      collapsed[c] = !(s.weightSum(c) > 0.0) || s.weightSum(c) < collapseBelow;
    }
    double[] weights = newWeights ? new double[k] : previous.weights();
    double[][] means = new double[k][];
    double[][] deltas = new double[k][d];
    double[] cov = newCovariances ? new double[Gaussians.covarianceLength(type, k, d)] : oldCov.clone();
    for (int c = 0; c < k; c++) {
      double nk = s.weightSum(c);
      if (newWeights) {
        weights[c] = nk / total;
      }
      means[c] = s.center(c);
      if (collapsed[c]) {
        if (newMeans) {
          if (reseeded.size() >= reseedRows.size()) {
            throw new IllegalStateException("Component " + c + " received no responsibility (its weight collapsed"
                + " to " + nk / total + "): use fewer components or another seed");
          }
          means[c] = reseedRows.get(reseeded.size()).clone();
          reseeded.add(c);
        } else if (newCovariances) {
          keepCovariance(type, oldCov, cov, c, d);
        }
        continue;
      }
      double[] delta = newMeans ? s.firstMoment(c) : new double[d];
      for (int j = 0; j < d; j++) {
        delta[j] /= nk;
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
          double avg = 0.0;
          for (int j = 0; j < d; j++) {
            double v = s2[j] / nk - delta[j] * delta[j] + regCovar;
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
        if (type == CovarianceType.TIED || !collapsed[c]) {
          for (int j = 0; j < d; j++) {
            cov[c * d * d + j * d + j] += regCovar;
          }
        }
      }
    }
    if (!reseeded.isEmpty()) {
      reseed(type, s, collapsed, reseeded, newCovariances ? cov : null, oldCov, cov, d);
      if (newWeights) {
        double survivors = 1.0 - (double) reseeded.size() / k;
        double kept = 0.0;
        for (int c = 0; c < k; c++) {
          kept += reseeded.contains(c) ? 0.0 : weights[c];
        }
        for (int c = 0; c < k; c++) {
          weights[c] = reseeded.contains(c) ? 1.0 / k : weights[c] * survivors / kept;
        }
      }
    }
    try {
      return new Result(GaussianMixtureModel.of(weights, Gaussians.of(type, means, cov), previous.features()),
          reseeded);
    } catch (NotPositiveDefiniteException e) {
      throw new IllegalStateException(e.getMessage() + " after adding reg_covar=" + regCovar
          + ": increase reg_covar, use fewer components, or drop features that are constant"
          + " or combinations of others", e);
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

  /** Gives re-seeded components the pooled covariance of the survivors ({@code fresh} null: keep the old one). */
  private static void reseed(CovarianceType type, GaussianStatistics s, boolean[] collapsed, List<Integer> reseeded,
      double[] fresh, double[] oldCov, double[] cov, int d) {
    if (type == CovarianceType.TIED) {
      return;
    }
    if (fresh == null) {
      for (int c : reseeded) {
        keepCovariance(type, oldCov, cov, c, d);
      }
      return;
    }
    int size = type == CovarianceType.FULL ? d * d : type == CovarianceType.DIAG ? d : 1;
    double[] pooled = new double[size];
    double mass = 0.0;
    for (int c = 0; c < collapsed.length; c++) {
      if (!collapsed[c]) {
        double nk = s.weightSum(c);
        mass += nk;
        for (int i = 0; i < size; i++) {
          pooled[i] += nk * fresh[c * size + i];
        }
      }
    }
    for (int c : reseeded) {
      for (int i = 0; i < size; i++) {
        cov[c * size + i] = pooled[i] / mass;
      }
    }
  }
}
