package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.List;
import org.sparkgmm.component.Regularisation;
import org.sparkgmm.model.Mixture;

/**
 * A component of a fitted Gaussian mixture whose covariance sits at the {@code reg_covar} floor in
 * some direction: the data gave (almost) no variance there, so what the model says about that
 * direction is the regularisation, not the data (fewer distinct points than features in the
 * component, collinear or constant features, or values far below {@code reg_covar}'s scale).
 *
 * @param component the component
 * @param feature the feature along which it was found: the one of smallest variance for diagonal
 *     covariances; for full ones, the one whose Cholesky pivot (its variance left over after the
 *     features before it) is smallest
 * @param variance that variance or pivot
 */
public record Regularised(int component, String feature, double variance) {
  /** The floor: variances within 10 x reg_covar mean the data contributed at most 9 x reg_covar. */
  public static final double FLOOR = 10.0;

  /**
   * What the regularisation decides in a fitted model.
   *
   * @param constantFeatures features at the floor in every component: constant in the data, or
   *     spread far below {@code reg_covar}'s scale, so that the model knows them only through
   *     {@code reg_covar} (as scikit-learn fits them)
   * @param components the components at the floor along some other feature
   */
  public record Findings(List<String> constantFeatures, List<Regularised> components) {
    public Findings {
      constantFeatures = List.copyOf(constantFeatures);
      components = List.copyOf(components);
    }
  }

  /** The findings of {@link #constantFeatures} and {@link #of}, the latter not naming a constant feature again. */
  public static Findings find(Mixture model, double regCovar) {
    return find(model, Regularisation.absolute(regCovar));
  }

  /** {@link #find(Mixture, double)} for a regularisation that may be relative to the data. */
  public static Findings find(Mixture model, Regularisation regCovar) {
    List<Integer> constant = constantFeatures(model, regCovar);
    List<String> names = new ArrayList<>();
    constant.forEach(j -> names.add(model.features().get(j)));
    return new Findings(names, of(model, regCovar, constant));
  }

  /**
   * The features (indices) whose variance is within {@link #FLOOR} x {@code reg_covar} in every
   * component of a Gaussian mixture (empty for other mixtures).
   */
  private static List<Integer> constantFeatures(Mixture model, Regularisation regCovar) {
    List<Integer> out = new ArrayList<>();
    if (model.asGaussian().isEmpty() || !(regCovar.reg() > 0.0)) {
      return out;
    }
    int d = model.dimension();
    double[][][] cov = new double[model.components()][][];
    for (int c = 0; c < cov.length; c++) {
      cov[c] = model.covariance(c);
    }
    for (int j = 0; j < d; j++) {
      boolean atFloor = true;
      for (int c = 0; c < cov.length && atFloor; c++) {
        atFloor = cov[c][j][j] <= FLOOR * regCovar.variance(j);
      }
      if (atFloor) {
        out.add(j);
      }
    }
    return out;
  }

  /** Every component of {@code model} (a Gaussian mixture; empty for other mixtures) at the floor. */
  public static List<Regularised> of(Mixture model, double regCovar) {
    return of(model, Regularisation.absolute(regCovar), List.of());
  }

  /**
   * {@link #of(Mixture, double)}, a component being at the floor only along a feature not in
   * {@code skip}: the Cholesky pivots of the other features do not depend on a constant one (its
   * covariances with them are 0), so skipping it hides nothing else.
   */
  private static List<Regularised> of(Mixture model, Regularisation regCovar, List<Integer> skip) {
    List<Regularised> out = new ArrayList<>();
    if (model.asGaussian().isEmpty() || !(regCovar.reg() > 0.0)) {
      return out;
    }
    int d = model.dimension();
    // The least each pivot can be with the regularisation alone: what it adds to that variance.
    for (int c = 0; c < model.components(); c++) {
      double[][] s = model.covariance(c);
      double[][] l = new double[d][d];
      int worst = -1;
      double least = Double.POSITIVE_INFINITY;
      double leastRatio = Double.POSITIVE_INFINITY;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          double sum = s[i][j];
          for (int p = 0; p < j; p++) {
            sum -= l[i][p] * l[j][p];
          }
          if (i == j) {
            double ratio = sum / Math.max(regCovar.variance(i), Double.MIN_NORMAL);
            if (ratio < leastRatio && !skip.contains(i)) {
              leastRatio = ratio;
              least = sum;
              worst = i;
            }
            l[i][i] = Math.sqrt(Math.max(sum, Double.MIN_NORMAL));
          } else {
            l[i][j] = sum / l[j][j];
          }
        }
      }
      if (worst >= 0 && leastRatio <= FLOOR) {
        out.add(new Regularised(c, model.features().get(worst), least));
      }
    }
    return out;
  }
}
