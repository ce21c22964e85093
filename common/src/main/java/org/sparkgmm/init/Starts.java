package org.sparkgmm.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.component.Regularisation;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.data.AccumulatorList;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.em.EmAccumulator;
import org.sparkgmm.em.ExpectationMaximization;
import org.sparkgmm.em.MStep;
import org.sparkgmm.model.Mixture;

/**
 * The recipe that makes EM's starting models from the data, wherever they live (Spark or memory):
 * one start per seed and per structure, every pass shared by all of them.
 *
 * <ol>
 *   <li>the data moments ({@link DataMoments#measure}, measured by the caller: they also scale the
 *       regularisation), one pass for the first k-means|| centre per seed (or k random rows for
 *       {@code random-from-data}), one for the feature ranges when a structure has Categorical or
 *       Uniform features;
 *   <li>k-means|| or k-means++ seeding and Lloyd passes in the data's {@link SeedingCoordinates seeding}
 *       coordinates, so that the starts do not depend on the features' units (one seeding serves
 *       every structure but spherical ones, which get their own);
 *   <li>one pass that gathers, for every structure and seed, the statistics of the nearest-centre
 *       partition; the M-step on them is the start: each part's weighted maximum-likelihood estimate
 *       on its rows. A centre left without rows is re-seeded at the row farthest from every centre.
 * </ol>
 * {@code random} starts from random responsibilities per row, {@code hc} from a hierarchical clustering of a
 * sample ({@link HierarchicalStart}) and labelled fits from the labels.
 */
public final class Starts {
  /** k-means|| sampling rounds (Bahmani et al. find 5 rounds with oversampling 2k enough). */
  public static final int KMEANS_PARALLEL_ROUNDS = 5;
  /** Lloyd stops when the centres move less than this times the mean feature variance (scikit-learn's tol). */
  static final double LLOYD_TOLERANCE = 1e-4;

  private Starts() {}

  /**
   * How to start.
   *
   * @param init the seeding method (ignored with {@code labels})
   * @param k components per start
   * @param seeds one start per seed
   * @param initIter Lloyd passes after the seeding
   * @param labels start each component from its labelled rows ({@link org.sparkgmm.data.RowBlock#label})
   * @param reg the M-step's regularisation
   * @param pseudocount the M-step's Categorical pseudocount
   * @param moments the data's moments ({@link DataMoments#measure})
   */
  public record Options(InitMode init, int k, long[] seeds, int initIter, boolean labels, Regularisation reg,
      double pseudocount, DataMoments moments) {
    /** Checks the values. */
    public Options {
      if (k < 1) {
        throw new IllegalArgumentException("k must be >= 1, got " + k);
      }
      if (seeds.length < 1) {
        throw new IllegalArgumentException("At least one seed is needed");
      }
      seeds = seeds.clone();
      java.util.Objects.requireNonNull(reg, "reg");
      java.util.Objects.requireNonNull(moments, "moments");
    }
  }

  /**
   * The starts, {@code [structure][seed]}.
   *
   * @param rows how many rows the data hold (k may not exceed it)
   * @param source what the data are, for messages (an input path), or {@code null} for "the data"
   * @param log told about the seeding and Lloyd rounds
   * @throws IllegalArgumentException when k exceeds the rows or the distinct rows, or a feature has
   *     no observed value or no spread double precision can measure, naming the source, the
   *     feature and the cure
   */
  public static List<List<Mixture>> of(DataPass pass, List<ComponentSpec> specs, Options o, long rows,
      String source, Consumer<String> log) {
    try {
      return build(pass, specs, o, rows, source, log);
    } catch (Refusal e) {
      throw e;
    } catch (IllegalArgumentException e) {
      // The seedings refuse data with fewer distinct rows than components.
      throw new IllegalArgumentException("Cannot start " + o.k() + " components on "
          + (source == null ? "the data" : source) + ": " + e.getMessage(), e);
    }
  }

  /** A refusal whose message already says everything (not wrapped in "Cannot start ..."). */
  static final class Refusal extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Refusal(String message) {
      super(message);
    }
  }

  private static List<List<Mixture>> build(DataPass pass, List<ComponentSpec> specs, Options o, long rows,
      String source, Consumer<String> log) {
    List<ComponentSpec> spherical = specs.stream().filter(Starts::spherical).toList();
    if (!spherical.isEmpty() && spherical.size() < specs.size() && seeded(o)) {
      // Spherical structures seed in their own coordinates (see seedingCoordinates): one seeding each group.
      List<ComponentSpec> others = specs.stream().filter(sp -> !spherical(sp)).toList();
      java.util.Iterator<List<Mixture>> sph = build(pass, spherical, o, rows, source, log).iterator();
      java.util.Iterator<List<Mixture>> oth = build(pass, others, o, rows, source, log).iterator();
      List<List<Mixture>> out = new ArrayList<>();
      for (ComponentSpec spec : specs) {
        out.add(spherical(spec) ? sph.next() : oth.next());
      }
      return out;
    }
    int k = o.k();
    String of = source == null ? "" : " of " + source;
    if (k > rows) {
      throw new Refusal("Cannot fit " + k + " components to " + rows + " valid rows" + of
          + ": k must not exceed the number of rows");
    }
    List<String> features = specs.get(0).features();
    int d = features.size();
    long[] seeds = o.seeds();
    DataMoments moments = o.moments();
    check(pass, moments, features, of);
    FeatureRanges ranges = needsRanges(specs) ? pass.run("init: feature ranges", new FeatureRanges(d)) : null;
    if (o.labels() || o.init() == InitMode.RANDOM) {
      double[][] atMean = new double[k][];
      Arrays.fill(atMean, moments.mean());
      List<Mixture> templates = new ArrayList<>();
      List<PresetResponsibilities> zeros = new ArrayList<>();
      for (ComponentSpec spec : specs) {
        Mixture template = Templates.of(spec, atMean, moments, ranges);
        for (long seed : o.labels() ? new long[] {0L} : seeds) {
          templates.add(template);
          zeros.add(o.labels() ? PresetResponsibilities.labels(template) : PresetResponsibilities.random(template, seed));
        }
      }
      List<PresetResponsibilities> done = pass.run(o.labels() ? "init: labelled rows" : "init: random responsibilities",
          AccumulatorList.of(zeros)).items();
      List<Mixture> starts = new ArrayList<>();
      for (int s = 0; s < done.size(); s++) {
        starts.add(MStep.update(templates.get(s), done.get(s).statistics(), new MStep.Options(o.reg(),
            EnumSet.allOf(Parameter.class), 0.0, List.of(), new boolean[k], o.pseudocount())).model());
      }
      return bySpec(starts, specs.size());
    }
    if (o.init() == InitMode.HC) {
      // General mixtures too: the tree groups their rows by value, as k-means does, and the M-step
      // on the labelled sample estimates any family.
      return bySpec(HierarchicalStart.starts(pass, specs, o, moments, ranges, of, log), specs.size());
    }
    // Rows with missing values become centres with the data means in their holes.
    double[] fill = moments.mean();
    List<Centers> centres;
    SeedingCoordinates coordinates = null;
    if (o.init() == InitMode.RANDOM_FROM_DATA) {
      centres = asCenters(DistributedKMeans.completed(randomRows(pass, seeds, k, source), fill), seeds.length, k, d);
    } else if (!allGaussian(specs)) {
      // Counts, categories and durations are not equivariant under affine maps: their own units
      // (a category code, a count) are the natural ones for the seeding.
      centres = kMeans(pass, o, fill, LLOYD_TOLERANCE * moments.meanVariance(), log);
    } else {
      // In the seeding coordinates: no missing values (they sit at the mean), unit variances.
      coordinates = seedingCoordinates(specs, moments);
      centres = kMeans(new SeedingPass(pass, coordinates), o, new double[d],
          LLOYD_TOLERANCE * Math.max(1, coordinates.rank()) / d, log);
    }
    List<Mixture> templates = new ArrayList<>();
    List<PartitionStatistics> zeros = new ArrayList<>();
    for (ComponentSpec spec : specs) {
      for (Centers centre : centres) {
        Mixture template = Templates.of(spec, coordinates == null ? centre.points() : inDataUnits(coordinates, centre),
            moments, ranges);
        templates.add(template);
        zeros.add(coordinates == null ? new PartitionStatistics(pass.share(centre), template.emptyStatistics(), k)
            : new PartitionStatistics(pass.share(centre), pass.share(coordinates), template.emptyStatistics(), k));
      }
    }
    List<PartitionStatistics> done = pass.run("init: partition statistics", AccumulatorList.of(zeros)).items();
    List<Mixture> starts = new ArrayList<>();
    for (int s = 0; s < done.size(); s++) {
      PartitionStatistics p = done.get(s);
      double collapseBelow = ExpectationMaximization.COLLAPSE_FRACTION * p.weightSum() / p.rows();
      starts.add(MStep.update(templates.get(s), p.statistics(), new MStep.Options(o.reg(),
          EnumSet.allOf(Parameter.class), collapseBelow, p.farthestRows(), new boolean[k], o.pseudocount())).model());
    }
    return bySpec(starts, specs.size());
  }

  private static boolean spherical(ComponentSpec spec) {
    return spec.gaussianType().orElse(null) == org.sparkgmm.distribution.CovarianceType.SPHERICAL;
  }

  private static boolean seeded(Options o) {
    return !o.labels() && (o.init() == InitMode.KMEANS_PARALLEL || o.init() == InitMode.KMEANS_PLUS_PLUS);
  }

  /**
   * Where the k-means seeding runs, so that the start follows the data under per-feature scales
   * and shifts: standardised coordinates for full, tied and diagonal Gaussians; for spherical ones,
   * which only a uniform scale, a rotation and a shift leave alone, the data's own coordinates
   * centred and divided by one common scale (standardising would give every nearly constant
   * feature, such as an image's border pixels, the weight of an informative one).
   *
   * <p>Not whitened coordinates, although full and tied mixtures are equivariant under every
   * invertible linear map and coordinates would make the start so too: coordinates by the data
   * covariance shrinks the direction that separates the clusters most (two blobs 10 apart in 60
   * dimensions end 1.96 apart in unit noise), and k-means there loses clusters that it finds in
   * the data's units ({@code InitializationIT}).
   */
  private static SeedingCoordinates seedingCoordinates(List<ComponentSpec> specs, DataMoments moments) {
    return specs.stream().allMatch(Starts::spherical) ? SeedingCoordinates.isotropic(moments) : SeedingCoordinates.standardised(moments);
  }

  /** Whether every structure models every feature as Gaussian (a Gaussian block or a Normal feature). */
  private static boolean allGaussian(List<ComponentSpec> specs) {
    for (ComponentSpec spec : specs) {
      for (ComponentSpec.Block b : spec.blocks()) {
        if (b instanceof ComponentSpec.UnivariateBlock u && u.family() != UnivariateFamily.NORMAL) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean needsRanges(List<ComponentSpec> specs) {
    for (ComponentSpec spec : specs) {
      for (int j = 0; j < spec.features().size(); j++) {
        UnivariateFamily f = spec.family(j);
        if (f == UnivariateFamily.CATEGORICAL || f == UnivariateFamily.UNIFORM) {
          return true;
        }
      }
    }
    return false;
  }

  /** Splits a structure-major list into one list per structure. */
  private static List<List<Mixture>> bySpec(List<Mixture> all, int specs) {
    int per = all.size() / specs;
    List<List<Mixture>> out = new ArrayList<>();
    for (int t = 0; t < specs; t++) {
      out.add(List.copyOf(all.subList(t * per, (t + 1) * per)));
    }
    return out;
  }

  /** k distinct random rows per seed, flattened seed after seed (one pass). */
  private static List<double[]> randomRows(DataPass pass, long[] seeds, int k, String source) {
    List<SmallestPriorityRows> zeros = new ArrayList<>();
    for (long seed : seeds) {
      zeros.add(new SmallestPriorityRows(k, seed));
    }
    List<double[]> rows = new ArrayList<>();
    for (SmallestPriorityRows picked : pass.run("init: random rows", AccumulatorList.of(zeros)).items()) {
      double[][] r = picked.rows();
      if (r.length < k) {
        throw new Refusal("Cannot fit " + k + " components: " + (source == null ? "the data have" : source + " has")
            + " only " + r.length + " distinct rows with positive weight");
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

  /**
   * k-means|| or k-means++ seeding, then Lloyd passes, one per seed, on {@code pass}'s rows.
   *
   * @param fill what a drawn row's missing values become
   * @param tolerance Lloyd stops once the centres move less than this
   */
  private static List<Centers> kMeans(DataPass pass, Options o, double[] fill, double tolerance,
      Consumer<String> log) {
    List<double[]> first = DistributedKMeans.firstRows(pass, fill.length, o.seeds());
    List<Centers> centres = o.init() == InitMode.KMEANS_PARALLEL
        ? DistributedKMeans.parallel(pass, first, o.seeds(), o.k(), KMEANS_PARALLEL_ROUNDS, fill, log)
        : DistributedKMeans.plusPlus(pass, first, o.seeds(), o.k(), fill, log);
    return o.initIter() > 0
        ? DistributedKMeans.lloyd(pass, centres, o.initIter(), tolerance, log) : centres;
  }

  /** The centres in the data's coordinates. */
  private static double[][] inDataUnits(SeedingCoordinates coordinates, Centers centres) {
    double[][] z = centres.points();
    double[][] x = new double[z.length][];
    for (int c = 0; c < z.length; c++) {
      x[c] = coordinates.invert(z[c]);
    }
    return x;
  }

  /** Refuses features without values, or whose spread double precision cannot measure. */
  private static void check(DataPass pass, DataMoments moments, List<String> features, String of) {
    for (int j = 0; j < features.size(); j++) {
      if (Double.isNaN(moments.mean()[j])) {
        throw new Refusal("Feature '" + features.get(j) + "'" + of + " has no observed value (every row misses it):"
            + " leave it out of --features");
      }
      if (!(moments.variance(j) > 0.0) && Math.abs(moments.mean()[j]) < 1e-150 && differ(pass, features.size(), j)) {
        // Squares of values this small underflow: the variance is 0 though the values differ.
        throw new Refusal("Feature '" + features.get(j) + "'" + of + " has no spread that double precision can"
            + " measure (its values, around " + moments.mean()[j] + ", square to 0): rescale it, or leave it out of"
            + " --features");
      }
      // A constant feature is fitted as scikit-learn fits it: its variance is reg_covar (the driver
      // names it on a warning line and in the metrics, from the fitted model).
    }
  }

  /** Whether feature j takes more than one value (one more pass; only asked when its variance underflowed). */
  private static boolean differ(DataPass pass, int d, int j) {
    FeatureRanges ranges = pass.run("init: feature ranges", new FeatureRanges(d));
    return ranges.min(j) != ranges.max(j);
  }
}
