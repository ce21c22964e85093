package org.sparkgmm.init;

import java.io.Serializable;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.data.Shared;

/**
 * The data as the k-means seeding sees them: every pass of {@code data}, each block in
 * {@link SeedingCoordinates seeding coordinates} (computed in the task, never stored).
 */
final class SeedingPass implements DataPass {
  private final DataPass data;
  private final SeedingCoordinates coordinates;

  SeedingPass(DataPass data, SeedingCoordinates coordinates) {
    this.data = data;
    this.coordinates = coordinates;
  }

  @Override
  public <A extends BlockAccumulator<A>> A run(String description, A zero) {
    return data.run(description, new InCoordinates<>(zero, data.share(coordinates))).inner;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return data.share(value);
  }

  /** An accumulator fed blocks in the seeding coordinates. */
  private static final class InCoordinates<A extends BlockAccumulator<A>> implements BlockAccumulator<InCoordinates<A>> {
    private static final long serialVersionUID = 1L;

    private final Shared<SeedingCoordinates> coordinates;
    private A inner;

    InCoordinates(A inner, Shared<SeedingCoordinates> coordinates) {
      this.inner = inner;
      this.coordinates = coordinates;
    }

    @Override
    public InCoordinates<A> add(RowBlock block) {
      inner = inner.add(coordinates.get().apply(block));
      return this;
    }

    @Override
    public InCoordinates<A> merge(InCoordinates<A> other) {
      inner = inner.merge(other.inner);
      return this;
    }
  }
}
