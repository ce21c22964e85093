package org.sparkgmm.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.data.InMemoryPass;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.init.InitMode;
import org.sparkgmm.init.Starts;
import org.sparkgmm.model.Mixture;

/** EM resumed from a saved state ends where the uninterrupted run ends. */
class EmStateTest {
  /** Keeps the state of one iteration, and hands back what it is given to resume from. */
  private static final class Kept implements EmState.Checkpoints {
    final int at;
    final EmState from;
    EmState kept;
    final List<Integer> seen = new ArrayList<>();

    Kept(int at, EmState from) {
      this.at = at;
      this.from = from;
    }

    @Override
    public EmState resume() {
      return from;
    }

    @Override
    public void save(EmState state) {
      seen.add(state.iteration());
      if (state.iteration() == at) {
        kept = roundTrip(state);
      }
    }
  }

  /** Through Java serialization, as the checkpoint file holds it. */
  static EmState roundTrip(EmState s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(s);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (EmState) in.readObject();
      }
    } catch (java.io.IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Mixture> starts(InMemoryPass pass, int n) {
    long[] seeds = new long[n];
    for (int i = 0; i < n; i++) {
      seeds[i] = 11L * i;
    }
    return Starts.of(pass, List.of(ComponentSpec.gaussian(List.of("x", "y", "z"), CovarianceType.FULL)),
        new Starts.Options(InitMode.KMEANS_PARALLEL, 3, seeds, 1, false,
            org.sparkgmm.component.Regularisation.absolute(1e-6), 0.0,
            org.sparkgmm.init.DataMoments.measure(pass, List.of("x", "y", "z"))), pass.rows(), null, m -> { })
        .get(0);
  }

  /**
   * Three starts, one of which converges before the others: stopped after iteration {@code at},
   * serialised and resumed, EM ends with the same models, histories and likelihoods. Not bit for
   * bit: the Vector API's lane reductions may sum in another order once the JIT has compiled them,
   * so even two uninterrupted runs in one JVM can differ in the last bit (seen: 1e-16 after 5
   * iterations).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 4, 9})
  void resumedEqualsUninterrupted(int at) {
    InMemoryPass pass = InMemoryPass.ofRows(StepwiseEmTest.truth(CovarianceType.FULL).sample(4000, 8), null, 500);
    List<Mixture> starts = starts(pass, 3);
    EmOptions em = new EmOptions(40, 1e-5, 1e-6);
    Kept first = new Kept(at, null);
    List<FitResult> whole = ExpectationMaximization.fitAll(starts, em, pass, MixtureFit.silent(), first);
    assertThat(first.seen).startsWith(1, 2, 3);
    assertThat(first.kept).isNotNull();
    Kept second = new Kept(-1, first.kept);
    List<FitResult> resumed = ExpectationMaximization.fitAll(starts, em, pass, MixtureFit.silent(), second);
    assertThat(second.seen).first().isEqualTo(at + 1);
    assertThat(resumed).hasSameSizeAs(whole);
    for (int i = 0; i < whole.size(); i++) {
      StepwiseEmTest.assertSame(resumed.get(i).model(), whole.get(i).model(), 1e-10);
      assertThat(resumed.get(i).history()).hasSameSizeAs(whole.get(i).history());
      for (int t = 0; t < whole.get(i).history().size(); t++) {
        assertThat(resumed.get(i).history().get(t)).isCloseTo(whole.get(i).history().get(t), offset(1e-12));
      }
      assertThat(resumed.get(i).iterations()).isEqualTo(whole.get(i).iterations());
      assertThat(resumed.get(i).converged()).isEqualTo(whole.get(i).converged());
      assertThat(resumed.get(i).logLikelihood()).isCloseTo(whole.get(i).logLikelihood(), offset(1e-8));
    }
  }

  @Test
  void aStateWithOtherStartsIsRefused() {
    InMemoryPass pass = InMemoryPass.ofRows(StepwiseEmTest.truth(CovarianceType.FULL).sample(1000, 8), null, 500);
    Kept first = new Kept(2, null);
    ExpectationMaximization.fitAll(starts(pass, 2), new EmOptions(3, 0.0, 1e-6), pass, MixtureFit.silent(), first);
    assertThatThrownBy(() -> ExpectationMaximization.fitAll(starts(pass, 3), new EmOptions(3, 0.0, 1e-6), pass,
        MixtureFit.silent(), new Kept(-1, first.kept))).hasMessageContaining("2 starts, not 3");
  }
}
