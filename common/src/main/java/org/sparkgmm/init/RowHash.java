package org.sparkgmm.init;

import org.sparkgmm.data.RowBlock;

/**
 * Random numbers attached to rows: a 64-bit hash of a seed, a stream number and the row's values,
 * so that every random choice about a row depends on what the row is, never on where it is
 * (partition, block or position). Equal rows get equal numbers.
 */
public final class RowHash {
  private RowHash() {}

  /**
   * The hash of row {@code i} of {@code block} for {@code seed} and {@code stream}: of the row's
   * key when the block has keys ({@link RowBlock#withKeys}), else of its values.
   */
  public static long of(long seed, long stream, RowBlock block, int i) {
    long h = mix(seed ^ mix(stream + 0x632be59bd9b4e019L));
    if (block.keyed()) {
      return mix(h ^ block.key(i));
    }
    for (int j = 0; j < block.features(); j++) {
      h = mix(h ^ bits(block.value(i, j)));
    }
    return h;
  }

  /** The hash of a row given by its values (same value as {@link #of(long, long, RowBlock, int)}). */
  public static long of(long seed, long stream, double[] row) {
    long h = mix(seed ^ mix(stream + 0x632be59bd9b4e019L));
    for (double v : row) {
      h = mix(h ^ bits(v));
    }
    return h;
  }

  /** The hash stream that assigns rows to stepwise EM's batches. */
  public static final long BATCH_STREAM = 0x5ba7c4L;

  /** The batch (of {@code batches}) a row with these values belongs to, for {@code seed}. */
  public static int batch(long seed, double[] row, int batches) {
    return batches == 1 ? 0 : (int) Long.remainderUnsigned(of(seed, BATCH_STREAM, row), batches);
  }

  /** A uniform number in the open interval (0, 1) from a hash. */
  public static double uniform(long hash) {
    return ((hash >>> 11) + 0.5) * 0x1.0p-53;
  }

  /** SplitMix64's finaliser: a bijective 64-bit mix. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long bits(double v) {
    // -0.0 and 0.0 are the same value for the data: hash them alike.
    return Double.doubleToLongBits(v == 0.0 ? 0.0 : v);
  }
}
