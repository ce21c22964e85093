package org.sparkgmm.model;

import java.util.SplittableRandom;

/**
 * Draws rows from a mixture. Row {@code index} of a sample with seed {@code s} depends only on
 * {@code (s, index)}: its own generator is seeded from both, so a sample is the same however its
 * rows are split among tasks. A row picks component {@code c} with probability {@code w_c}, then
 * draws the row from the component's parts (a Gaussian block as {@code x = mu_c + A_c z} with
 * {@code z} standard normal and {@code A_c A_c^T = Sigma_c}; a univariate family by its own sampler).
 */
public final class MixtureSampler {
  private final Mixture model;
  private final double[] cumulative;

  private MixtureSampler(Mixture model) {
    this.model = model;
    double[] w = model.weights();
    cumulative = new double[w.length];
    double s = 0.0;
    for (int c = 0; c < w.length; c++) {
      s += w[c];
      cumulative[c] = s;
    }
  }

  /** A sampler for {@code model}; not thread-safe (one per task). */
  public static MixtureSampler of(Mixture model) {
    return new MixtureSampler(model);
  }

  /**
   * Draws row {@code index} of the sample with {@code seed}.
   *
   * @param into d values, overwritten with the row
   * @return the component the row was drawn from
   */
  public int draw(long seed, long index, double[] into) {
    SplittableRandom random = new SplittableRandom(mix(seed ^ mix(index + 0x9e3779b97f4a7c15L)));
    double u = random.nextDouble() * cumulative[cumulative.length - 1];
    int c = 0;
    // Skip zero-weight components at the boundary: u < cumulative[c] picks only a positive weight.
    while (c < cumulative.length - 1 && !(u < cumulative[c])) {
      c++;
    }
    model.draw(c, random, into);
    return c;
  }

  /** SplitMix64's finaliser. */
  private static long mix(long v) {
    v = (v ^ (v >>> 30)) * 0xbf58476d1ce4e5b9L;
    v = (v ^ (v >>> 27)) * 0x94d049bb133111ebL;
    return v ^ (v >>> 31);
  }
}
