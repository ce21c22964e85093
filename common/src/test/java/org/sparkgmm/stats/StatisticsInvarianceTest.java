package org.sparkgmm.stats;

import static org.sparkgmm.testing.Tolerances.CLOSED_FORM;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.LocalEm;
import org.sparkgmm.testing.SklearnFixture;

/** Merging statistics of any split equals the statistics of the whole; weight 2 equals a duplicate. */
class StatisticsInvarianceTest {
  private static final SklearnFixture IRIS = SklearnFixture.load("iris");

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void mergeOfAnySplitEqualsTheWhole(CovarianceType type) {
    Mixture model = IRIS.initialModel(type);
    RowBlock whole = IRIS.block();
    EmAccumulator expected = LocalEm.statistics(List.of(whole), model);
    Random random = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int size = 1 + random.nextInt(whole.rows());
      List<RowBlock> parts = LocalEm.split(whole, size);
      // Merge in a random tree shape: partial accumulators merged in shuffled order.
      List<EmAccumulator> partials = new ArrayList<>();
      for (RowBlock p : parts) {
        partials.add(LocalEm.statistics(List.of(p), model));
      }
      java.util.Collections.shuffle(partials, random);
      while (partials.size() > 1) {
        int i = random.nextInt(partials.size() - 1);
        EmAccumulator merged = partials.get(i).merge(partials.remove(i + 1));
        partials.set(i, merged);
      }
      assertSameStatistics(partials.get(0), expected, SUMMATION_ORDER);
    }
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void integerWeightEqualsDuplicatedRows(CovarianceType type) {
    Mixture model = IRIS.initialModel(type);
    double[][] data = IRIS.data();
    Random random = new Random(11);
    double[] weights = new double[data.length];
    List<double[]> duplicated = new ArrayList<>();
    for (int i = 0; i < data.length; i++) {
      weights[i] = random.nextInt(4);
      for (int r = 0; r < weights[i]; r++) {
        duplicated.add(data[i]);
      }
    }
    EmAccumulator weighted = LocalEm.statistics(List.of(RowBlock.fromRows(data, weights)), model);
    EmAccumulator copies = LocalEm.statistics(
        List.of(RowBlock.fromRows(duplicated.toArray(new double[0][]), null)), model);
    assertSameStatistics(weighted, copies, SUMMATION_ORDER);
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void mergeWithEmptyIsIdentity(CovarianceType type) {
    Mixture model = IRIS.initialModel(type);
    EmAccumulator expected = LocalEm.statistics(List.of(IRIS.block()), model);
    EmAccumulator empty = EmAccumulator.forStatistics(() -> model);
    EmAccumulator merged = empty.merge(LocalEm.statistics(List.of(IRIS.block()), model))
        .merge(EmAccumulator.forStatistics(() -> model));
    assertSameStatistics(merged, expected, CLOSED_FORM);
  }

  static void assertSameStatistics(EmAccumulator actual, EmAccumulator expected, double rel) {
    assertRelClose(new double[] {actual.logLikelihood(), actual.weightSum()},
        new double[] {expected.logLikelihood(), expected.weightSum()}, rel, "log-likelihood, weight");
    GaussianStatistics a = org.sparkgmm.component.GaussianPart.statistics(actual.statistics().group(0).part(0));
    GaussianStatistics e = org.sparkgmm.component.GaussianPart.statistics(expected.statistics().group(0).part(0));
    for (int c = 0; c < e.components(); c++) {
      assertRelClose(new double[] {a.weightSum(c)}, new double[] {e.weightSum(c)}, rel, "N_" + c);
      assertRelClose(a.firstMoment(c), e.firstMoment(c), rel, "S1_" + c);
      assertRelClose(a.secondMoment(c), e.secondMoment(c), rel, "S2_" + c);
    }
  }
}
