package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.List;
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

  /** Every component of {@code model} (a Gaussian mixture; empty for other mixtures) at the floor. */
  public static List<Regularised> of(Mixture model, double regCovar) {
    List<Regularised> out = new ArrayList<>();
    if (model.asGaussian().isEmpty() || !(regCovar > 0.0)) {
      return out;
    }
    int d = model.dimension();
    for (int c = 0; c < model.components(); c++) {
      double[][] s = model.covariance(c);
      double[][] l = new double[d][d];
      int worst = -1;
      double least = Double.POSITIVE_INFINITY;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          double sum = s[i][j];
          for (int p = 0; p < j; p++) {
            sum -= l[i][p] * l[j][p];
          }
          if (i == j) {
            if (sum < least) {
              least = sum;
              worst = i;
            }
            l[i][i] = Math.sqrt(Math.max(sum, Double.MIN_NORMAL));
          } else {
            l[i][j] = sum / l[j][j];
          }
        }
      }
      if (least <= FLOOR * regCovar) {
        out.add(new Regularised(c, model.features().get(worst), least));
      }
    }
    return out;
  }
}
