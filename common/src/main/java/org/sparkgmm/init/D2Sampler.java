package org.sparkgmm.init;

import java.util.Arrays;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * Draws one row with probability proportional to {@code w_i D(x_i)^2}, {@code D} the distance to
 * the nearest of the given centres (the k-means++ step), or to {@code w_i} when there are no
 * centres, in one pass: an exponential race where row i draws {@code E_i = -ln u_i} from its
 * {@link RowHash} and the smallest {@code E_i / (w_i D_i^2)} wins. Rows with {@code w_i D_i^2 = 0}
 * never win.
 */
public final class D2Sampler implements BlockAccumulator<D2Sampler> {
  private static final long serialVersionUID = 1L;

  private final Shared<Centers> source;
  private final long seed;
  private final long stream;
  private double bestKey = Double.POSITIVE_INFINITY;
  private double[] best;
  /** Whether {@link #best} has every value observed: a first draw (no centres) prefers such rows. */
  private boolean bestComplete;

  private transient NearestScan scan;

  /**
   * @param centers the centres so far (may be empty)
   * @param seed the random seed
   * @param stream distinguishes the draws of one seed (e.g. the k-means++ step)
   */
  public D2Sampler(Shared<Centers> centers, long seed, long stream) {
    this.source = centers;
    this.seed = seed;
    this.stream = stream;
  }

  @Override
  public D2Sampler add(RowBlock block) {
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (scan == null) {
      scan = new NearestScan(source.get());
    }
    boolean none = scan.centers().size() == 0;
    if (!none) {
      scan.run(block);
    }
    for (int i = 0; i < n; i++) {
      double mass = block.weight(i) * (none ? 1.0 : scan.distance(i));
      if (mass > 0.0) {
        double key = -Math.log(RowHash.uniform(RowHash.of(seed, stream, block, i))) / mass;
        double[] row = block.row(i);
        boolean complete = !block.hasMissing() || complete(row);
        if (better(complete, key, row)) {
          bestKey = key;
          best = row;
          bestComplete = complete;
        }
      }
    }
    return this;
  }

  @Override
  public D2Sampler merge(D2Sampler other) {
    if (other.best != null && better(other.bestComplete, other.bestKey, other.best)) {
      bestKey = other.bestKey;
      best = other.best;
      bestComplete = other.bestComplete;
    }
    return this;
  }

  /**
   * Whether a row beats the best so far: the smaller key (ties by value); without centres (the
   * first centre, which also centres the data moments) a complete row beats one with missing values.
   */
  private boolean better(boolean complete, double key, double[] row) {
    if (best == null) {
      return true;
    }
    if (stream == 0 && complete != bestComplete) {
      return complete;
    }
    return key < bestKey || (key == bestKey && Arrays.compare(row, best) < 0);
  }

  private static boolean complete(double[] row) {
    for (double v : row) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  /** The drawn row, or null when every row has {@code w D^2 = 0} (no row left to draw). */
  public double[] drawn() {
    return best == null ? null : best.clone();
  }
}
