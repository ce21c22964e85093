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
final class WorstRows implements Serializable {
  private static final long serialVersionUID = 1L;

  record Row(double logLikelihood, double[] values) implements Serializable {}

  private static final Comparator<Row> ORDER = Comparator.comparingDouble(Row::logLikelihood)
      .thenComparing(Row::values, Arrays::compare);

  private final int capacity;
  private final List<Row> kept = new ArrayList<>();

  WorstRows(int capacity) {
    this.capacity = capacity;
  }

  /** Whether a row with this log-likelihood could enter (cheap test before copying the row). */
  boolean admits(double logLikelihood) {
    return kept.size() < capacity || logLikelihood <= kept.get(kept.size() - 1).logLikelihood();
  }

  void offer(Row r) {
    if (!admits(r.logLikelihood())) {
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

  void merge(WorstRows other) {
    for (Row r : other.kept) {
      offer(r);
    }
  }

  List<Row> rows() {
    return List.copyOf(kept);
  }
}
