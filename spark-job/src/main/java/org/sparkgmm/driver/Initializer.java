package org.sparkgmm.driver;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.InitMode;
import org.sparkgmm.data.AccumulatorList;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.MStep;
import org.sparkgmm.em.Parameter;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.errors.UsageException;
import org.sparkgmm.init.Centers;
import org.sparkgmm.init.DataMoments;
import org.sparkgmm.init.DistributedKMeans;
import org.sparkgmm.init.PresetResponsibilities;
import org.sparkgmm.init.SmallestPriorityRows;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.GaussianMixtureModel;

/**
 * Builds the starting models: from {@code --init-model}, from the labels ({@code --label-col}), or
 * from the data ({@code --init}, one start per seed of {@code --n-init}, all sharing every pass).
 * Orchestration only; the algorithms are in {@code common}'s {@code init} package.
 */
final class Initializer {
  /** k-means|| sampling rounds (Bahmani et al. find 5 rounds with oversampling 2k enough). */
  static final int KMEANS_PARALLEL_ROUNDS = 5;
  /** Lloyd stops when the centres move less than this times the mean feature variance (scikit-learn's tol). */
  private static final double LLOYD_TOLERANCE = 1e-4;

  private Initializer() {}

  /** The seeds of the {@code --n-init} starts: {@code seed, seed+1, ...}. */
  static long[] seeds(FitConfig c) {
    long[] seeds = new long[c.nInit()];
    for (int r = 0; r < seeds.length; r++) {
      seeds[r] = c.seed() + r;
    }
    return seeds;
  }

  static List<GaussianMixtureModel> initialModels(FitConfig c, TrainingData data, DataPass pass,
      Configuration hadoop, Consumer<String> log) {
    List<String> features = data.schema().names();
    int k = components(c, data);
    if (c.initModel() != null) {
      return List.of(fromModel(c, ModelStore.read(c.initModel(), hadoop), data, features, k));
    }
    return startsByType(c, k, List.of(c.covariance()), data, pass, log).get(0);
  }

  /**
   * The starts of {@code c}'s seeds for each covariance type, {@code [type][seed]}: the seeding
   * and Lloyd passes are shared by all types (they do not depend on the covariance), and so is
   * the statistics pass that turns each partition into a start (as scikit-learn, whose k-means
   * start is the same for every type).
   */
  static List<List<GaussianMixtureModel>> startsByType(FitConfig c, int k, List<CovarianceType> types,
      TrainingData data, DataPass pass, Consumer<String> log) {
    List<String> features = data.schema().names();
    if (k > data.rows()) {
      throw new BadInputException("Cannot fit " + k + " components to " + data.rows() + " valid rows of "
          + c.input() + ": k must not exceed the number of rows");
    }
    int d = features.size();
    long[] seeds = seeds(c);
    try {
      List<double[]> first = c.init() == InitMode.RANDOM_FROM_DATA && c.labelCol() == null
          ? randomRows(c, data, pass, seeds, k)
          : DistributedKMeans.firstRows(pass, d, seeds);
      DataMoments moments = moments(c, pass, first.get(0), features);
      if (c.labelCol() != null) {
        List<PresetResponsibilities> zeros = new ArrayList<>();
        for (CovarianceType type : types) {
          zeros.add(PresetResponsibilities.labels(k, moments.mean(), type));
        }
        return byType(presetStarts(c, pass, moments, features, "init: labelled rows", zeros), types.size());
      }
      if (c.init() == InitMode.RANDOM) {
        List<PresetResponsibilities> zeros = new ArrayList<>();
        for (CovarianceType type : types) {
          for (long seed : seeds) {
            zeros.add(PresetResponsibilities.random(k, moments.mean(), type, seed));
          }
        }
        return byType(presetStarts(c, pass, moments, features, "init: random responsibilities", zeros), types.size());
      }
      List<Centers> centres = switch (c.init()) {
        case KMEANS_PARALLEL -> DistributedKMeans.parallel(pass, first, seeds, k, KMEANS_PARALLEL_ROUNDS, log);
        case KMEANS_PLUS_PLUS -> DistributedKMeans.plusPlus(pass, first, seeds, k, log);
        case RANDOM_FROM_DATA -> asCenters(first, seeds.length, k, d);
        case RANDOM -> throw new IllegalStateException("Random starts come from responsibilities, not centres");
      };
      if (c.init() != InitMode.RANDOM_FROM_DATA && c.initIter() > 0) {
        centres = DistributedKMeans.lloyd(pass, centres, c.initIter(), LLOYD_TOLERANCE * moments.meanVariance(), log);
      }
      return byType(partitionModels(c, pass, moments, centres, features, types), types.size());
    } catch (IllegalArgumentException e) {
      // The seedings refuse data with fewer distinct rows than components.
      throw new BadInputException("Cannot start " + k + " components on " + c.input() + ": " + e.getMessage(), e);
    }
  }

  /** Splits a type-major list into one list per type. */
  private static List<List<GaussianMixtureModel>> byType(List<GaussianMixtureModel> all, int types) {
    int per = all.size() / types;
    List<List<GaussianMixtureModel>> out = new ArrayList<>();
    for (int t = 0; t < types; t++) {
      out.add(List.copyOf(all.subList(t * per, (t + 1) * per)));
    }
    return out;
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

  /** One pass for all starts: the M-step on each set of preset responsibilities is a start. */
  private static List<GaussianMixtureModel> presetStarts(FitConfig c, DataPass pass, DataMoments moments,
      List<String> features, String description, List<PresetResponsibilities> zeros) {
    GaussianMixtureModel probe = DataMoments.probe(moments.mean(), features);
    List<GaussianMixtureModel> starts = new ArrayList<>();
    for (PresetResponsibilities p : pass.run(description, AccumulatorList.of(zeros)).items()) {
      starts.add(MStep.update(probe, p.statistics(), c.regCovar()));
    }
    return starts;
  }

  /** k distinct random rows per seed, flattened seed after seed (one pass). */
  private static List<double[]> randomRows(FitConfig c, TrainingData data, DataPass pass, long[] seeds, int k) {
    List<SmallestPriorityRows> zeros = new ArrayList<>();
    for (long seed : seeds) {
      zeros.add(new SmallestPriorityRows(k, seed));
    }
    List<double[]> rows = new ArrayList<>();
    for (SmallestPriorityRows picked : pass.run("init: random rows", AccumulatorList.of(zeros)).items()) {
      double[][] r = picked.rows();
      if (r.length < k) {
        throw new BadInputException("Cannot fit " + k + " components: " + c.input() + " has only "
            + r.length + " distinct rows with positive weight");
      }
      rows.addAll(List.of(r));
    }
    return rows;
  }

  private static List<Centers> asCenters(List<double[]> rows, int starts, int k, int d) {
    List<Centers> out = new ArrayList<>();
    for (int s = 0; s < starts; s++) {
      out.add(Centers.of(rows.subList(s * k, (s + 1) * k).toArray(new double[0][]), d));
    }
    return out;
  }

  /** One pass: data mean and variances, centred at a data row for precision; refuses constant features. */
  private static DataMoments moments(FitConfig c, DataPass pass, double[] center, List<String> features) {
    GaussianMixtureModel probe = DataMoments.probe(center, features);
    DataMoments moments = DataMoments.of(pass.run("init: data moments",
        EmAccumulator.forStatisticsIgnoringLabels(pass.share(probe))).statistics());
    for (int j = 0; j < features.size(); j++) {
      if (!(moments.variance(j) > 0.0)) {
        throw new BadInputException("Feature '" + features.get(j) + "' of " + c.input() + " is constant (every row is "
            + moments.mean()[j] + "): it cannot inform the clustering; leave it out of --features");
      }
    }
    return moments;
  }

  /**
   * One pass for all starts and types (type-major): every row to its nearest centre; the M-step on
   * each partition is the start. A centre left without rows is re-seeded at the row farthest from every centre.
   */
  private static List<GaussianMixtureModel> partitionModels(FitConfig c, DataPass pass, DataMoments moments,
      List<Centers> centres, List<String> features, List<CovarianceType> types) {
    List<GaussianMixtureModel> assigners = new ArrayList<>();
    List<EmAccumulator> zeros = new ArrayList<>();
    for (CovarianceType type : types) {
      for (Centers centre : centres) {
        GaussianMixtureModel assigner = moments.nearestMeanAssigner(centre.points(), type, features);
        assigners.add(assigner);
        zeros.add(EmAccumulator.forStatisticsIgnoringLabels(pass.share(assigner)));
      }
    }
    List<EmAccumulator> done = pass.run("init: partition statistics", AccumulatorList.of(zeros)).items();
    List<GaussianMixtureModel> starts = new ArrayList<>();
    for (int s = 0; s < done.size(); s++) {
      EmAccumulator acc = done.get(s);
      double collapseBelow = ExpectationMaximization.COLLAPSE_FRACTION * acc.weightSum() / acc.rows();
      starts.add(MStep.update(assigners.get(s), acc.statistics(), c.regCovar(), EnumSet.allOf(Parameter.class),
          collapseBelow, acc.worstExplainedRows()).model());
    }
    return starts;
  }

  private static GaussianMixtureModel fromModel(FitConfig c, GaussianMixtureModel m, TrainingData data,
      List<String> features, int k) {
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
