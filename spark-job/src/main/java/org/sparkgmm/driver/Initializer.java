package org.sparkgmm.driver;

import java.util.List;
import java.util.function.Consumer;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.errors.UsageException;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.RegScale;
import org.sparkgmm.init.DataMoments;
import org.sparkgmm.init.Starts;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.Mixture;

/**
 * Builds the starting models: from {@code --init-model}, from the labels ({@code --label-col}), or
 * from the data ({@code --init}, one start per seed of {@code --n-init}, all sharing every pass).
 * Orchestration only; the recipe is {@code common}'s {@link Starts}.
 */
final class Initializer {
  private Initializer() {}

  /** The seeds of the {@code --n-init} starts: {@code seed, seed+1, ...}. */
  static long[] seeds(FitConfig c) {
    long[] seeds = new long[c.nInit()];
    for (int r = 0; r < seeds.length; r++) {
      seeds[r] = c.seed() + r;
    }
    return seeds;
  }

  /**
   * The data's moments (two passes), which the starts and a data-relative {@code --reg-covar}
   * need; null when neither does ({@code --reg-covar-scale absolute} with the starts given).
   *
   * @param startsGiven the starts come from {@code --init-model} or a checkpoint
   */
  static DataMoments moments(FitConfig c, TrainingData data, DataPass pass, boolean startsGiven) {
    if (startsGiven && c.regCovarScale() != RegScale.DATA) {
      return null;
    }
    try {
      return DataMoments.measure(pass, data.schema().names());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("Cannot measure the data of " + c.input() + ": " + e.getMessage(), e);
    }
  }

  /** {@code c}'s EM options, {@code --reg-covar} scaled by each feature's variance unless {@code --reg-covar-scale absolute}. */
  static EmOptions emOptions(FitConfig c, DataMoments moments) {
    return c.regCovarScale() == RegScale.DATA ? c.emOptions().withRegScale(moments.variances()) : c.emOptions();
  }

  /**
   * @param initModel {@code c}'s {@code --init-model} as read, or null without one
   * @param moments the data's ({@link #moments}); only read without {@code initModel}
   */
  static List<Mixture> initialModels(FitConfig c, Mixture initModel, TrainingData data, DataPass pass,
      DataMoments moments, Consumer<String> log) {
    List<String> features = data.schema().names();
    int k = components(c, data);
    if (initModel != null) {
      return List.of(fromModel(c, initModel, data, features, k));
    }
    if (c.distributions() != null && c.distributions().features().size() != features.size()) {
      throw new BadInputException("The distributions name " + c.distributions().features().size() + " features ("
          + c.distributions() + "), the input has " + features.size() + " per row");
    }
    return starts(c, k, List.of(c.spec(features)), data, pass, moments, log).get(0);
  }

  /** The starts with the category labels of the string columns they were fitted on. */
  private static List<List<Mixture>> labelled(List<List<Mixture>> starts, TrainingData data) {
    if (data.schema().categories().isEmpty()) {
      return starts;
    }
    return starts.stream().map(l -> l.stream().map(m -> m.withCategories(data.schema().categories())).toList())
        .toList();
  }

  /**
   * The starts of {@code c}'s seeds for each structure, {@code [structure][seed]}: the seeding and
   * Lloyd passes are shared by all structures (they do not depend on them), and so is the statistics
   * pass that turns each partition into a start (as scikit-learn, whose k-means start is the same
   * for every covariance type). The recipe is {@link Starts}'.
   */
  static List<List<Mixture>> starts(FitConfig c, int k, List<ComponentSpec> specs, TrainingData data, DataPass pass,
      DataMoments moments, Consumer<String> log) {
    try {
      return labelled(Starts.of(pass, specs, new Starts.Options(c.init(), k, seeds(c), c.initIter(),
          c.labelCol() != null, emOptions(c, moments).regularisation(), c.pseudocount(), moments), data.rows(),
          c.input(), log), data);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  private static int components(FitConfig c, TrainingData data) {
    if (c.labelCol() == null) {
      return c.k();
    }
    int labels = data.labels().size();
    if (c.k() != 0 && c.k() != labels) {
      throw new UsageException("--k " + c.k() + " does not match the " + labels + " distinct labels of --label-col "
          + c.labelCol() + " (" + preview(data.labels()) + "): with labels there is one component per label;"
          + " drop --k");
    }
    return labels;
  }

  private static String preview(List<String> labels) {
    return labels.size() <= 10 ? String.join(", ", labels)
        : String.join(", ", labels.subList(0, 10)) + ", ... " + (labels.size() - 10) + " more";
  }

  private static Mixture fromModel(FitConfig c, Mixture m, TrainingData data, List<String> features, int k) {
    if (m.dimension() != features.size()) {
      throw new UsageException("--init-model " + c.initModel() + " has " + m.dimension() + " features, the input has "
          + features.size() + " (" + String.join(",", features) + ")");
    }
    if (!data.schema().fromArrayColumn() && !m.features().equals(features)) {
      throw new UsageException("--init-model " + c.initModel() + " was fitted on features " + m.features()
          + ", the input's are " + features + ": select the same columns in the same order with --features");
    }
    if (k != 0 && k != m.components()) {
      throw new UsageException((c.labelCol() != null ? "--label-col " + c.labelCol() + " has " + k + " labels"
          : "--k " + k) + " but --init-model has " + m.components() + " components: they must match");
    }
    CovarianceType type = c.covariance();
    CovarianceType modelType = m.asGaussian().map(g -> g.covarianceType()).orElse(null);
    if (type != null && type != modelType) {
      throw new UsageException("--covariance " + type + " does not match --init-model, whose components are "
          + m.describe() + ": drop --covariance or use another model");
    }
    for (int f : c.freeze()) {
      if (f >= m.components()) {
        throw new UsageException("--freeze " + f + ": --init-model has components 0 to " + (m.components() - 1));
      }
    }
    if (m.components() > data.rows()) {
      throw new BadInputException("Cannot fit " + m.components() + " components to " + data.rows()
          + " valid rows of " + c.input() + ": k must not exceed the number of rows");
    }
    return m.withFeatures(features);
  }
}
