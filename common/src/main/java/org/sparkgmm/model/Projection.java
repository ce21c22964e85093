package org.sparkgmm.model;

import java.util.List;
import java.util.Locale;
import org.netlib.util.intW;
import org.sparkgmm.linalg.Blas;

/**
 * A two-dimensional view of a mixture: rows and components projected on two orthonormal
 * directions {@code a_1, a_2} through an origin {@code o}, {@code y = A (x - o)} with {@code A}
 * the 2 x d matrix of the directions. A component's projected covariance is {@code A Sigma_c A^T},
 * so its 1- and 2-sigma ellipses in the view are exact, not fitted to the points.
 */
public final class Projection {
  private final double[] origin;
  private final double[][] axes;
  private final List<String> labels;

  private Projection(double[] origin, double[][] axes, List<String> labels) {
    this.origin = origin;
    this.axes = axes;
    this.labels = List.copyOf(labels);
  }

  /**
   * The two leading principal directions of the mixture's own covariance,
   * {@code Sigma = sum_c w_c (Sigma_c + (mu_c - mu)(mu_c - mu)^T)} about {@code mu = sum_c w_c mu_c}
   * (LAPACK {@code dsyev}); each direction's largest entry is made positive so the view is
   * deterministic. The labels give the share of the total variance each direction carries.
   *
   * @throws IllegalArgumentException if the model has fewer than 2 features
   */
  public static Projection principal(Mixture model) {
    int d = model.dimension();
    if (d < 2) {
      throw new IllegalArgumentException("A 2-D view needs at least 2 features, the model has " + d);
    }
    int k = model.components();
    double[] w = model.weights();
    double[][] means = model.means();
    double[] mu = new double[d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        mu[j] += w[c] * means[c][j];
      }
    }
    double[] sigma = new double[d * d];
    for (int c = 0; c < k; c++) {
      double[][] s = model.covariance(c);
      for (int b = 0; b < d; b++) {
        double db = means[c][b] - mu[b];
        for (int a = 0; a < d; a++) {
          sigma[b * d + a] += w[c] * (s[a][b] + (means[c][a] - mu[a]) * db);
        }
      }
    }
    double[] values = new double[d];
    double[] work = new double[Math.max(1, 34 * d)];
    intW info = new intW(0);
    Blas.lapack().dsyev("V", "L", d, sigma, d, values, work, work.length, info);
    if (info.val != 0) {
      throw new IllegalStateException("The eigen-decomposition of the mixture covariance failed (LAPACK info "
          + info.val + ")");
    }
    double total = 0.0;
    for (double v : values) {
      total += Math.max(v, 0.0);
    }
    double[][] axes = new double[2][];
    String[] labels = new String[2];
    for (int a = 0; a < 2; a++) {
      int col = d - 1 - a; // dsyev sorts eigenvalues ascending
      double[] v = new double[d];
      int largest = 0;
      for (int j = 0; j < d; j++) {
        v[j] = sigma[col * d + j];
        if (Math.abs(v[j]) > Math.abs(v[largest])) {
          largest = j;
        }
      }
      if (v[largest] < 0) {
        for (int j = 0; j < d; j++) {
          v[j] = -v[j];
        }
      }
      axes[a] = v;
      labels[a] = String.format(Locale.ROOT, "PC%d (%.1f%% of variance)", a + 1,
          total > 0 ? 100.0 * Math.max(values[col], 0.0) / total : 0.0);
    }
    return new Projection(mu, axes, List.of(labels));
  }

  /**
   * Two of the model's own features, unchanged (origin 0).
   *
   * @throws IllegalArgumentException if a name is not a feature of the model, or both are the same
   */
  public static Projection features(Mixture model, String first, String second) {
    List<String> names = model.features();
    int i = names.indexOf(first);
    int j = names.indexOf(second);
    if (i < 0 || j < 0) {
      throw new IllegalArgumentException("--report-features " + (i < 0 ? first : second)
          + " is not a feature of the model; its features are " + names);
    }
    if (i == j) {
      throw new IllegalArgumentException("--report-features names " + first + " twice: give two different features");
    }
    int d = model.dimension();
    double[][] axes = new double[2][d];
    axes[0][i] = 1.0;
    axes[1][j] = 1.0;
    return new Projection(new double[d], axes, List.of(first, second));
  }

  /** The axis titles: the feature names, or the principal directions with their share of variance. */
  public List<String> labels() {
    return labels;
  }

  /** {@code A (x - o)} for one row of d values. */
  public double[] point(double[] x) {
    double[] y = new double[2];
    for (int a = 0; a < 2; a++) {
      double s = 0.0;
      for (int j = 0; j < x.length; j++) {
        s += axes[a][j] * (x[j] - origin[j]);
      }
      y[a] = s;
    }
    return y;
  }

  /** Component {@code c}'s projected mean. */
  public double[] center(Mixture model, int c) {
    return point(model.means()[c]);
  }

  /** Component {@code c}'s projected covariance {@code A Sigma_c A^T}, as {@code {s11, s12, s22}}. */
  public double[] covariance(Mixture model, int c) {
    double[][] s = model.covariance(c);
    int d = s.length;
    double[] out = new double[3];
    int[][] pairs = {{0, 0}, {0, 1}, {1, 1}};
    for (int p = 0; p < 3; p++) {
      double[] u = axes[pairs[p][0]];
      double[] v = axes[pairs[p][1]];
      double sum = 0.0;
      for (int a = 0; a < d; a++) {
        if (u[a] == 0.0) {
          continue;
        }
        double row = 0.0;
        for (int b = 0; b < d; b++) {
          row += s[a][b] * v[b];
        }
        sum += u[a] * row;
      }
      out[p] = sum;
    }
    return out;
  }

  /**
   * Points on the ellipse {@code (y - m)^T S^-1 (y - m) = r^2}: the boundary of the region within
   * {@code r} standard deviations (Mahalanobis distance) of {@code m}.
   *
   * @param center {@code m}, 2 values
   * @param covariance {@code S} as {@code {s11, s12, s22}}, positive semi-definite
   * @param radius {@code r}
   * @param count how many points (the last joins the first)
   * @return {@code count} points, each {x, y}
   */
  public static double[][] ellipse(double[] center, double[] covariance, double radius, int count) {
    double a = covariance[0];
    double b = covariance[1];
    double c = covariance[2];
    double mean = 0.5 * (a + c);
    double spread = Math.hypot(0.5 * (a - c), b);
    double major = Math.sqrt(Math.max(mean + spread, 0.0));
    double minor = Math.sqrt(Math.max(mean - spread, 0.0));
    double angle = 0.5 * Math.atan2(2 * b, a - c);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double[][] pts = new double[count][2];
    for (int i = 0; i < count; i++) {
      double t = 2 * Math.PI * i / (count - 1);
      double u = radius * major * Math.cos(t);
      double v = radius * minor * Math.sin(t);
      pts[i][0] = center[0] + u * cos - v * sin;
      pts[i][1] = center[1] + u * sin + v * cos;
    }
    return pts;
  }
}
