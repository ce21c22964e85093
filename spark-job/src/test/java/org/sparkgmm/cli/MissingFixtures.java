package org.sparkgmm.cli;

import static org.sparkgmm.component.Factor.gaussian;

import java.util.List;
import java.util.SplittableRandom;
import org.sparkgmm.component.Component;
import org.sparkgmm.model.Mixture;

/** Data for the missing-value tests: a known mixture, and holes punched completely at random. */
final class MissingFixtures {
  private MissingFixtures() {}

  /** Three well-separated 4-D full Gaussians, weights 0.5, 0.3, 0.2. */
  static Mixture threeGaussians() {
    return Mixture.ofComponents(new double[] {0.5, 0.3, 0.2}, List.of(
        Component.of(gaussian(new double[] {0, 0, 0, 0}, new double[][] {{1, 0.3, 0, 0}, {0.3, 1, 0, 0}, {0, 0, 1, 0.2},
            {0, 0, 0.2, 1}})),
        Component.of(gaussian(new double[] {6, 1, -4, 2}, new double[][] {{1, 0, 0, 0}, {0, 2, 0.5, 0}, {0, 0.5, 1, 0},
            {0, 0, 0, 0.5}})),
        Component.of(gaussian(new double[] {-5, 6, 3, -3}, new double[][] {{0.5, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, -0.3},
            {0, 0, -0.3, 1}}))), List.of("x0", "x1", "x2", "x3"));
  }

  /** Each cell NaN with probability p, never every cell of a row. */
  static double[][] punch(double[][] rows, double p, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      int keep = r.nextInt(out[i].length);
      for (int j = 0; j < out[i].length; j++) {
        if (j != keep && r.nextDouble() < p) {
          out[i][j] = Double.NaN;
        }
      }
    }
    return out;
  }
}
