package org.sparkgmm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.testing.SklearnFixture;

/** Posteriors against scikit-learn's predict, predict_proba and score_samples; the sampler's determinism. */
class PosteriorsTest {
  private static final double SKLEARN_APPLY = 1e-9;

  @Test
  void matchesScikitLearnForEveryDataSetAndCovarianceType() {
    for (String set : SklearnFixture.DATASETS) {
      SklearnFixture f = SklearnFixture.load(set);
      RowBlock block = f.block();
      for (CovarianceType type : CovarianceType.values()) {
        Posteriors p = Posteriors.of(f.expectedModel(type));
        // A small block first: the buffers must serve a larger block afterwards.
        p.evaluate(block.slice(0, 3));
        p.evaluate(block);
        SklearnFixture.Predictions expected = f.predictions(type);
        assertThat(p.rows()).isEqualTo(block.rows());
        for (int i = 0; i < block.rows(); i++) {
          assertThat(p.prediction(i)).as("%s %s row %d", set, type, i).isEqualTo(expected.predict()[i]);
          assertThat(p.logLikelihood(i)).isCloseTo(expected.scoreSamples()[i],
              within(SKLEARN_APPLY * Math.max(1.0, Math.abs(expected.scoreSamples()[i]))));
          double sum = 0.0;
          for (int c = 0; c < expected.predictProba()[i].length; c++) {
            assertThat(p.posterior(i, c)).isCloseTo(expected.predictProba()[i][c], within(SKLEARN_APPLY));
            sum += p.posterior(i, c);
          }
          assertThat(sum).isCloseTo(1.0, within(1e-12));
        }
      }
    }
  }

  @Test
  void sampleRowsDependOnlyOnSeedAndIndex() {
    Mixture m = SklearnFixture.load("iris").expectedModel(CovarianceType.TIED);
    MixtureSampler a = MixtureSampler.of(m);
    MixtureSampler b = MixtureSampler.of(m);
    double[] x = new double[m.dimension()];
    double[] y = new double[m.dimension()];
    b.draw(5, 999, y); // b has drawn another row first: no state may carry over
    for (long i = 0; i < 100; i++) {
      int ca = a.draw(5, i, x);
      int cb = b.draw(5, i, y);
      assertThat(cb).isEqualTo(ca);
      assertThat(y).containsExactly(x);
    }
    a.draw(6, 0, y);
    a.draw(5, 0, x);
    assertThat(y).as("another seed").isNotEqualTo(x);
  }
}
