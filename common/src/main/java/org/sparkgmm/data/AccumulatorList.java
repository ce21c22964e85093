package org.sparkgmm.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Several accumulators of one kind fed by the same scan: how independent computations (the
 * starts of {@code --n-init}, for instance) share every pass over the data.
 *
 * @param <A> the element type
 */
public final class AccumulatorList<A extends BlockAccumulator<A>> implements BlockAccumulator<AccumulatorList<A>> {
  private static final long serialVersionUID = 1L;

  private final List<A> items;

  private AccumulatorList(List<A> items) {
    this.items = items;
  }

  /**
   * Wraps the given accumulators (the list is copied).
   *
   * @throws IllegalArgumentException if the list is empty
   */
  public static <A extends BlockAccumulator<A>> AccumulatorList<A> of(List<A> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("An accumulator list needs at least one accumulator");
    }
    return new AccumulatorList<>(new ArrayList<>(items));
  }

  @Override
  public AccumulatorList<A> add(RowBlock block) {
    for (A a : items) {
      a.add(block);
    }
    return this;
  }

  @Override
  public AccumulatorList<A> merge(AccumulatorList<A> other) {
    if (other.items.size() != items.size()) {
      throw new IllegalArgumentException("Cannot merge lists of " + items.size() + " and " + other.items.size());
    }
    for (int i = 0; i < items.size(); i++) {
      items.get(i).merge(other.items.get(i));
    }
    return this;
  }

  /** The accumulators, in the order given. */
  public List<A> items() {
    return List.copyOf(items);
  }
}
