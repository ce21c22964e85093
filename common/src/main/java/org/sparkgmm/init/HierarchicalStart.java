package org.sparkgmm.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.data.AccumulatorList;
import org.sparkgmm.data.BlockAccumulator;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.em.MStep;
import org.sparkgmm.model.Mixture;

/**
 * {@code --init hc}: mclust's start, model-based agglomerative hierarchical clustering
 * ({@link Agglomeration}), on a bounded sample of the data.
 *
 * <ol>
 *   <li>one pass for the covariance of the complete rows; with the regularisation on its diagonal
 *       it defines whitened coordinates ({@link SeedingCoordinates#whitened});
 *   <li>one pass that draws, per seed, the {@link #SAMPLE_ROWS} (fewer in many dimensions,
 *       {@link #sampleRows}) distinct complete rows of smallest hash of their whitened norm (all of
 *       them on smaller data): nothing else reaches the driver;
 *   <li>on the driver, one tree per start over its sample in whitened coordinates, with that
 *       start's prior scatter ({@link #ALPHAS}), cut at k clusters; the
 *       start is the M-step on the sample's rows with those labels (each cluster's weight, mean and
 *       covariance, regularised as EM's).
 * </ol>
 * Every step is the same in any linear coordinates (whitening takes a linear map out up to a
 * rotation, which neither the draws, keyed by the norm, nor the criterion see), so the start, and
 * a full or tied fit from it, follows the data under every invertible linear map and shift, as far
 * as the per-feature regularisation allows (exactly with {@code --reg-covar 0}).
 */
final class HierarchicalStart {
  /** Rows of the sample the tree is built on (mclust's default subset for its hierarchical start), at most. */
  static final int SAMPLE_ROWS = 2000;
  /**
   * A tree over m rows in d dimensions costs about {@code m^2 d^3 / 3} flops: the sample shrinks
   * below {@link #SAMPLE_ROWS} so that this stays under the budget (a few seconds of one core),
   * for example to 1054 rows at d = 30 and 338 at d = 64.
   */
  static final double TREE_FLOPS = 1e10;
  /** Fewest sample rows, whatever the dimension. */
  static final int LEAST_SAMPLE_ROWS = 200;
  /**
   * The prior scatter of each start's criterion, times the data covariance: start r takes
   * {@code ALPHAS[r % 10]}. Which one leads to the best optimum depends on the data (on wine, 0.001
   * for full covariances but 0.5 for tied ones), so the starts try a range, each run to convergence
   * by default, and the best is kept.
   */
  static final double[] ALPHAS = {1.0, 0.1, 0.01, 0.001, 3.0, 0.3, 0.03, 0.003, 0.5, 1e-4};

  private HierarchicalStart() {}

  /**
   * The starts, structure after structure and seed after seed within each.
   *
   * @param of " of source" for messages, or ""
   */
  static List<Mixture> starts(DataPass pass, List<ComponentSpec> specs, Starts.Options o, DataMoments moments,
      FeatureRanges ranges, String of, Consumer<String> log) {
    int d = moments.dimension();
    int k = o.k();
    Covariance complete = pass.run("init hc: covariance of the complete rows", new Covariance(moments));
    if (complete.weight <= 0.0) {
      throw new Starts.Refusal("--init hc needs rows without missing values, and every row" + of
          + " misses some feature: use --init kmeans-parallel");
    }
    double[] covariance = complete.covariance(o.reg());
    SeedingCoordinates white = SeedingCoordinates.whitened(moments, covariance);
    int rows = sampleRows(d);
    List<SmallestPriorityRows> zeros = new ArrayList<>();
    for (long seed : o.seeds()) {
      zeros.add(new SmallestPriorityRows(rows, seed));
    }
    List<SmallestPriorityRows> drawn = new SeedingPass(pass, white).run("init hc: sample of " + rows + " rows",
        AccumulatorList.of(zeros)).items();
    List<double[][]> samples = new ArrayList<>();
    for (SmallestPriorityRows sample : drawn) {
      double[][] z = sample.rows();
      if (z.length < k) {
        throw new Starts.Refusal("Cannot fit " + k + " components with --init hc: the data" + of + " have only "
            + z.length + " distinct rows with positive weight and no missing value");
      }
      int same = indexOf(samples, z);
      samples.add(same >= 0 ? samples.get(same) : z);
    }
    if (rows < SAMPLE_ROWS && samples.get(0).length == rows) {
      log.accept("init hc: samples of " + rows + " rows (fewer than " + SAMPLE_ROWS + " in " + d
          + " dimensions, to bound the tree's cost)");
    }
    // One tree per start (its sample and prior scatter), built in parallel on the driver's cores.
    long t0 = System.nanoTime();
    int[][] labels = java.util.stream.IntStream.range(0, samples.size()).parallel()
        .mapToObj(r -> Agglomeration.partitions(samples.get(r), new int[] {k}, ALPHAS[r % ALPHAS.length])[0])
        .toArray(int[][]::new);
    log.accept(String.format("init hc: %d tree%s over %d rows cut at %d clusters in %.1f s", samples.size(),
        samples.size() == 1 ? "" : "s", samples.get(0).length, k, (System.nanoTime() - t0) / 1e9));
    // Each sample in data units, once for every structure.
    List<double[][]> rowsInUnits = samples.stream().map(z -> java.util.Arrays.stream(z).map(white::invert)
        .toArray(double[][]::new)).toList();
    List<Mixture> starts = new ArrayList<>();
    for (ComponentSpec spec : specs) {
      for (int s = 0; s < samples.size(); s++) {
        starts.add(start(spec, rowsInUnits.get(s), labels[s], k, o, moments, ranges, d));
      }
    }
    return starts;
  }

  /** The sample size in d dimensions ({@link #TREE_FLOPS}). */
  static int sampleRows(int d) {
    double bound = Math.sqrt(3 * TREE_FLOPS / ((double) d * d * d));
    return (int) Math.max(LEAST_SAMPLE_ROWS, Math.min(SAMPLE_ROWS, bound));
  }

  private static int indexOf(List<double[][]> samples, double[][] z) {
    for (int s = 0; s < samples.size(); s++) {
      if (Arrays.deepEquals(samples.get(s), z)) {
        return s;
      }
    }
    return -1;
  }

  /** The M-step on the sample's rows (in data units) labelled by the tree. */
  private static Mixture start(ComponentSpec spec, double[][] x, int[] labels, int k, Starts.Options o,
      DataMoments moments, FeatureRanges ranges, int d) {
    int n = x.length;
    double[][] means = new double[k][d];
    int[] counts = new int[k];
    for (int i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (int j = 0; j < d; j++) {
        means[labels[i]][j] += x[i][j];
      }
    }
    double[] values = new double[n * d];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = 1.0;
      for (int j = 0; j < d; j++) {
        values[j * n + i] = x[i][j];
      }
    }
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        means[c][j] /= counts[c];
      }
    }
    Mixture template = Templates.of(spec, means, moments, ranges);
    PresetResponsibilities statistics = PresetResponsibilities.labels(template)
        .add(RowBlock.of(n, d, values, weights).withLabels(labels));
    return MStep.update(template, statistics.statistics(), new MStep.Options(o.reg(), EnumSet.allOf(Parameter.class),
        0.0, List.of(), new boolean[k], o.pseudocount())).model();
  }

  /** The weighted covariance of the rows without a missing value, about the data mean for precision. */
  static final class Covariance implements BlockAccumulator<Covariance> {
    private static final long serialVersionUID = 1L;
    private final double[] centre;
    private final double[] offset;
    private final int d;
    private double weight;
    private final double[] first;
    /** Lower triangle, row-major: {@code [r * d + s]}, s &lt;= r. */
    private final double[] second;

    Covariance(DataMoments moments) {
      centre = moments.centre();
      offset = moments.offset();
      d = centre.length;
      first = new double[d];
      second = new double[d * d];
    }

    @Override
    public Covariance add(RowBlock block) {
      double[] u = new double[d];
      rows:
      for (int i = 0; i < block.rows(); i++) {
        double w = block.weight(i);
        if (!(w > 0.0)) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          double v = block.value(i, j);
          if (Double.isNaN(v)) {
            continue rows;
          }
          u[j] = (v - centre[j]) - offset[j];
        }
        weight += w;
        for (int r = 0; r < d; r++) {
          first[r] += w * u[r];
          double wr = w * u[r];
          for (int s = 0; s <= r; s++) {
            second[r * d + s] += wr * u[s];
          }
        }
      }
      return this;
    }

    @Override
    public Covariance merge(Covariance other) {
      weight += other.weight;
      for (int j = 0; j < d; j++) {
        first[j] += other.first[j];
      }
      for (int j = 0; j < d * d; j++) {
        second[j] += other.second[j];
      }
      return this;
    }

    /** The covariance plus the regularisation on its diagonal, column-major d x d. */
    double[] covariance(org.sparkgmm.component.Regularisation reg) {
      double[] c = new double[d * d];
      for (int r = 0; r < d; r++) {
        for (int s = 0; s <= r; s++) {
          double v = second[r * d + s] / weight - (first[r] / weight) * (first[s] / weight);
          c[s * d + r] = v;
          c[r * d + s] = v;
        }
        // A constant feature without regularisation (--reg-covar 0) takes any scale: its coordinate is constant.
        c[r * d + r] += Math.max(reg.variance(r), c[r * d + r] > 0.0 ? 1e-12 * c[r * d + r] : 1.0);
      }
      return c;
    }
  }
}
