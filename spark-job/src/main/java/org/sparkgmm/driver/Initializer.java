package org.sparkgmm.driver;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.MStep;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.errors.UsageException;
import org.sparkgmm.init.DataMoments;
import org.sparkgmm.init.SmallestPriorityRows;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.GaussianMixtureModel;

/** Builds the starting model: from {@code --init-model}, or from the data ({@code --init}). */
final class Initializer {
  private Initializer() {}

  static GaussianMixtureModel initialModel(FitConfig c, TrainingData data, DistributedPass pass,
      Configuration hadoop) {
    List<String> features = data.schema().names();
    if (c.initModel() != null) {
      return fromModel(c, ModelStore.read(c.initModel(), hadoop), data, features);
    }
    if (c.k() > data.rows()) {
      throw new BadInputException("Cannot fit " + c.k() + " components to " + data.rows() + " valid rows of "
          + c.input() + ": k must not exceed the number of rows");
    }
    // One pass: k distinct rows chosen by seed-and-value priority, independent of partitioning.
    SmallestPriorityRows picked = data.blocks().treeAggregate(new SmallestPriorityRows(c.k(), c.seed()),
        (acc, b) -> acc.add(b.rows()), SmallestPriorityRows::merge);
    double[][] means = picked.rows();
    if (means.length < c.k()) {
      throw new BadInputException("Cannot fit " + c.k() + " components: " + c.input() + " has only "
          + means.length + " distinct rows with positive weight");
    }
    // One pass: data mean and variances, centred at a data row for precision.
    GaussianMixtureModel probe = DataMoments.probe(means[0], features);
    DataMoments moments = DataMoments.of(pass.run(probe, ExpectationMaximization.Kind.STATISTICS).statistics());
    for (int j = 0; j < features.size(); j++) {
      if (!(moments.variance(j) > 0.0)) {
        throw new BadInputException("Feature '" + features.get(j) + "' of " + c.input() + " is constant (every row is "
            + moments.mean()[j] + "): it cannot inform the clustering; leave it out of --features");
      }
    }
    // One pass: every row to its nearest chosen row; the M-step on that partition is the start.
    GaussianMixtureModel assigner = moments.nearestMeanAssigner(means, c.covariance(), features);
    return MStep.update(assigner, pass.run(assigner, ExpectationMaximization.Kind.STATISTICS).statistics(),
        c.regCovar());
  }

  private static GaussianMixtureModel fromModel(FitConfig c, GaussianMixtureModel m, TrainingData data,
      List<String> features) {
    if (m.dimension() != features.size()) {
      throw new UsageException("--init-model " + c.initModel() + " has " + m.dimension() + " features, the input has "
          + features.size() + " (" + String.join(",", features) + ")");
    }
    if (!data.schema().fromArrayColumn() && !m.features().equals(features)) {
      throw new UsageException("--init-model " + c.initModel() + " was fitted on features " + m.features()
          + ", the input's are " + features + ": select the same columns in the same order with --features");
    }
    if (c.k() != 0 && c.k() != m.components()) {
      throw new UsageException("--k " + c.k() + " does not match --init-model, which has " + m.components()
          + " components: drop --k or use another model");
    }
    CovarianceType type = c.covariance();
    if (type != null && type != m.covarianceType()) {
      throw new UsageException("--covariance " + type + " does not match --init-model, whose covariance type is "
          + m.covarianceType() + ": drop --covariance or use another model");
    }
    if (m.components() > data.rows()) {
      throw new BadInputException("Cannot fit " + m.components() + " components to " + data.rows()
          + " valid rows of " + c.input() + ": k must not exceed the number of rows");
    }
    return m.withFeatures(features);
  }
}
