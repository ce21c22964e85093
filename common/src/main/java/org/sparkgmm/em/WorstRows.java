package org.sparkgmm.em;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code capacity} rows with the lowest log-likelihood seen, ties broken by the row values so
 * that the result does not depend on partitioning: where a collapsed component is re-seeded.
 */
public final class WorstRows implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A row and its score (the lower, the worse explained). */
  public record Row(double logLikelihood, double[] values) implements Serializable {}

  private static final Comparator<Row> ORDER = Comparator.comparingDouble(Row::logLikelihood)
      .thenComparing(Row::values, Arrays::compare);

  private final int capacity;
  private final List<Row> kept = new ArrayList<>();

  /** Keeps up to {@code capacity} rows. */
  public WorstRows(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The highest log-likelihood a row may have to enter ({@code +inf} until full): the cheap test
   * before copying a row, valid until the next {@link #offer}.
   */
  public double bar() {
    return kept.size() < capacity ? Double.POSITIVE_INFINITY : kept.get(kept.size() - 1).logLikelihood();
  }

  /** Offers a row; kept when it is among the worst {@code capacity} distinct ones. */
  public void offer(Row r) {
    if (!(r.logLikelihood() <= bar())) {
      return;
    }
    for (Row existing : kept) {
      if (Arrays.equals(existing.values(), r.values())) {
        return;
      }
    }
    int at = 0;
    while (at < kept.size() && ORDER.compare(kept.get(at), r) < 0) {
      at++;
    }
    kept.add(at, r);
    if (kept.size() > capacity) {
      kept.remove(capacity);
    }
  }

  /** Offers every row of {@code other}. */
  public void merge(WorstRows other) {
    for (Row r : other.kept) {
      offer(r);
    }
  }

  /** The rows kept, worst first. */
  public List<Row> rows() {
    return List.copyOf(kept);
  }
}
