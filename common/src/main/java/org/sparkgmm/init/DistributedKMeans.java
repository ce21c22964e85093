package org.sparkgmm.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.sparkgmm.data.AccumulatorList;
import org.sparkgmm.data.DataPass;
import org.sparkgmm.data.Shared;

/**
 * k-means seedings and Lloyd iterations over data reached through a {@link DataPass}, for several
 * seeds in lockstep: every pass serves all of them, so R starts cost the passes of one. Nothing
 * but centres and candidate points ever reaches the caller; the data are never collected.
 */
public final class DistributedKMeans {
  /** Tries of the greedy k-means++ on the weighted k-means|| candidates (cheap: local). */
  private static final int LOCAL_TRIES = 5;

  private DistributedKMeans() {}

  /**
   * The order of k-means|| candidates, which the local k-means++ draws follow: by squared norm
   * (in the seeding coordinates the same in any units; see {@link SeedingCoordinates}), then by value.
   */
  static final java.util.Comparator<double[]> CANDIDATE_ORDER =
      java.util.Comparator.<double[]>comparingDouble(DistributedKMeans::squaredNorm).thenComparing(Arrays::compare);

  private static double squaredNorm(double[] x) {
    double s = 0.0;
    for (double v : x) {
      s += v * v;
    }
    return s;
  }

  /**
   * One row per seed, drawn with probability proportional to its weight (one pass).
   *
   * @throws IllegalArgumentException if no row has positive weight
   */
  public static List<double[]> firstRows(DataPass pass, int d, long[] seeds) {
    Shared<Centers> none = pass.share(Centers.of(new double[0][], d));
    List<D2Sampler> zeros = new ArrayList<>();
    for (long seed : seeds) {
      zeros.add(new D2Sampler(none, seed, 0));
    }
    List<double[]> rows = new ArrayList<>();
    for (D2Sampler s : pass.run("init: first centre", AccumulatorList.of(zeros)).items()) {
      if (s.drawn() == null) {
        throw new IllegalArgumentException("No row has positive weight");
      }
      rows.add(s.drawn());
    }
    return rows;
  }

  /**
   * k-means|| (Bahmani et al., 2012): from each seed's first row, {@code rounds} sampling passes
   * with oversampling {@code 2k}, one pass weighting every candidate by the rows nearest it, then
   * greedy k-means++ and Lloyd on the weighted candidates, locally.
   *
   * @param first one first centre per seed ({@link #firstRows})
   * @return k centres per seed
   * @throws IllegalArgumentException if the data have fewer than k distinct rows with positive weight
   */
  public static List<Centers> parallel(DataPass pass, List<double[]> first, long[] seeds, int k, int rounds,
      Consumer<String> log) {
    return parallel(pass, first, seeds, k, rounds, null, log);
  }

  /**
   * {@link #parallel(DataPass, List, long[], int, int, Consumer)} on rows that may miss values: a
   * drawn row's missing values are replaced by {@code fill} (the data means) before it becomes a
   * candidate, and distances are partial ({@link Centers#nearest}).
   *
   * @param fill what a drawn row's missing feature becomes, or null when every row is complete
   */
  public static List<Centers> parallel(DataPass pass, List<double[]> first, long[] seeds, int k, int rounds,
      double[] fill, Consumer<String> log) {
    int d = first.get(0).length;
    int r = seeds.length;
    List<TreeSet<double[]>> candidates = new ArrayList<>();
    for (double[] f : first) {
      TreeSet<double[]> set = new TreeSet<>(CANDIDATE_ORDER);
      set.add(completed(f, fill).clone());
      candidates.add(set);
    }
    double oversampling = 2.0 * k;
    double[] costs = new double[r];
    for (int round = 1; round <= rounds; round++) {
      List<Integer> active = new ArrayList<>();
      for (int s = 0; s < r; s++) {
        active.add(s);
      }
      List<ParallelSampling> zeros = new ArrayList<>();
      for (int s : active) {
        zeros.add(new ParallelSampling(pass.share(Centers.of(candidates.get(s).toArray(new double[0][]), d)),
            seeds[s], round, oversampling));
      }
      List<ParallelSampling> done = pass.run("init: k-means|| round " + round, AccumulatorList.of(zeros)).items();
      for (int i = 0; i < active.size(); i++) {
        int s = active.get(i);
        costs[s] = done.get(i).cost();
        candidates.get(s).addAll(completed(done.get(i).sampled(), fill));
      }
      log.accept(String.format(Locale.ROOT, "init: k-means|| round %d: %s candidates, cost %s", round,
          describe(active, s -> (double) candidates.get(s).size(), "%.0f"), describe(active, s -> costs[s], "%.6g")));
    }
    addFarthestWhereTooFew(pass, candidates, costs, k, d, fill, log);
    List<LloydStatistics> zeros = new ArrayList<>();
    List<double[][]> points = new ArrayList<>();
    for (int s = 0; s < r; s++) {
      points.add(candidates.get(s).toArray(new double[0][]));
      zeros.add(new LloydStatistics(pass.share(Centers.of(points.get(s), d)), points.get(s).length));
    }
    List<LloydStatistics> weighted = pass.run("init: k-means|| candidate weights", AccumulatorList.of(zeros)).items();
    List<Centers> out = new ArrayList<>();
    for (int s = 0; s < r; s++) {
      out.add(WeightedKMeans.cluster(points.get(s), weighted.get(s).weights(), k, seeds[s], LOCAL_TRIES));
    }
    return out;
  }

  /**
   * One pass for every seed whose rounds found fewer than k candidates while rows remain away from
   * them: the k distinct rows farthest from the candidates join them ({@link FarthestRows}).
   */
  private static void addFarthestWhereTooFew(DataPass pass, List<TreeSet<double[]>> candidates, double[] costs,
      int k, int d, double[] fill, Consumer<String> log) {
    List<Integer> shortOf = new ArrayList<>();
    List<FarthestRows> zeros = new ArrayList<>();
    for (int s = 0; s < candidates.size(); s++) {
      if (candidates.get(s).size() < k && costs[s] > 0.0) {
        shortOf.add(s);
        zeros.add(new FarthestRows(pass.share(Centers.of(candidates.get(s).toArray(new double[0][]), d)), k));
      }
    }
    if (shortOf.isEmpty()) {
      return;
    }
    List<FarthestRows> done = pass.run("init: k-means|| farthest rows", AccumulatorList.of(zeros)).items();
    for (int i = 0; i < shortOf.size(); i++) {
      candidates.get(shortOf.get(i)).addAll(completed(done.get(i).rows(), fill));
    }
    log.accept(String.format(Locale.ROOT, "init: k-means|| found fewer than %d candidates (rows with equal values"
        + " share their draws): added the farthest distinct rows, now %s", k,
        describe(shortOf, s -> (double) candidates.get(s).size(), "%.0f")));
  }

  /**
   * Exact k-means++ (Arthur and Vassilvitskii, 2007): from each seed's first row, k - 1 passes
   * that each draw one row with probability proportional to {@code w D^2}.
   *
   * @throws IllegalArgumentException if the data have fewer than k distinct rows with positive weight
   */
  public static List<Centers> plusPlus(DataPass pass, List<double[]> first, long[] seeds, int k,
      Consumer<String> log) {
    return plusPlus(pass, first, seeds, k, null, log);
  }

  /**
   * {@link #plusPlus(DataPass, List, long[], int, Consumer)} on rows that may miss values (see
   * {@link #parallel(DataPass, List, long[], int, int, double[], Consumer)}).
   */
  public static List<Centers> plusPlus(DataPass pass, List<double[]> first, long[] seeds, int k, double[] fill,
      Consumer<String> log) {
    int d = first.get(0).length;
    List<List<double[]>> chosen = new ArrayList<>();
    for (double[] f : first) {
      chosen.add(new ArrayList<>(List.of(completed(f, fill).clone())));
    }
    for (int step = 1; step < k; step++) {
      List<D2Sampler> zeros = new ArrayList<>();
      for (int s = 0; s < seeds.length; s++) {
        zeros.add(new D2Sampler(pass.share(Centers.of(chosen.get(s).toArray(new double[0][]), d)), seeds[s], step));
      }
      List<D2Sampler> done = pass.run("init: k-means++ centre " + (step + 1) + "/" + k,
          AccumulatorList.of(zeros)).items();
      for (int s = 0; s < seeds.length; s++) {
        double[] row = done.get(s).drawn();
        if (row == null) {
          throw new IllegalArgumentException("Cannot choose " + k + " centres: the data have only " + step
              + " distinct rows with positive weight");
        }
        chosen.get(s).add(completed(row, fill));
      }
    }
    log.accept("init: k-means++ chose " + k + " centres in " + (k - 1) + " passes");
    List<Centers> out = new ArrayList<>();
    for (List<double[]> c : chosen) {
      out.add(Centers.of(c.toArray(new double[0][]), d));
    }
    return out;
  }

  /**
   * Lloyd iterations, one pass each for all seeds, at most {@code maxIter}; a seed stops when the
   * squared movement of its centres, summed, is at most {@code tolerance} (scikit-learn's rule).
   */
  public static List<Centers> lloyd(DataPass pass, List<Centers> start, int maxIter, double tolerance,
      Consumer<String> log) {
    List<Centers> current = new ArrayList<>(start);
    boolean[] stopped = new boolean[current.size()];
    for (int iteration = 1; iteration <= maxIter; iteration++) {
      List<Integer> active = new ArrayList<>();
      for (int s = 0; s < current.size(); s++) {
        if (!stopped[s]) {
          active.add(s);
        }
      }
      if (active.isEmpty()) {
        break;
      }
      List<LloydStatistics> zeros = new ArrayList<>();
      for (int s : active) {
        zeros.add(new LloydStatistics(pass.share(current.get(s)), current.get(s).size()));
      }
      List<LloydStatistics> done = pass.run("init: Lloyd iteration " + iteration + "/" + maxIter,
          AccumulatorList.of(zeros)).items();
      double[] costs = new double[current.size()];
      for (int i = 0; i < active.size(); i++) {
        int s = active.get(i);
        Centers moved = done.get(i).moved(current.get(s));
        costs[s] = done.get(i).cost();
        if (shift(current.get(s), moved) <= tolerance) {
          stopped[s] = true;
        }
        current.set(s, moved);
      }
      log.accept(String.format(Locale.ROOT, "init: Lloyd iteration %d: cost %s", iteration,
          describe(active, s -> costs[s], "%.6g")));
    }
    return current;
  }

  /** Rows as centres: missing values replaced by {@code fill} (rows unchanged when it is null). */
  static List<double[]> completed(Collection<double[]> rows, double[] fill) {
    List<double[]> out = new ArrayList<>();
    for (double[] r : rows) {
      out.add(completed(r, fill));
    }
    return out;
  }

  private static double[] completed(double[] row, double[] fill) {
    return fill == null ? row : Centers.completed(row, fill);
  }

  private static double shift(Centers a, Centers b) {
    double s = 0.0;
    for (int c = 0; c < a.size(); c++) {
      for (int j = 0; j < a.dimension(); j++) {
        double z = a.valueAt(c, j) - b.valueAt(c, j);
        s += z * z;
      }
    }
    return s;
  }

  private static String describe(List<Integer> starts, java.util.function.IntToDoubleFunction value, String format) {
    List<String> parts = new ArrayList<>();
    for (int s : starts) {
      parts.add(String.format(Locale.ROOT, format, value.applyAsDouble(s)));
    }
    return String.join(" | ", parts);
  }
}
