package org.sparkgmm.component;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.linalg.FeatureKernels;

/**
 * Features modelled independently, each by its own {@link UnivariateFamily}, for the k components
 * of a group: {@code log p_c(x) = sum_j log f_j(x_j; theta_cj)}.
 *
 * <p>The exponential-family features are evaluated together as one skinny product: the sufficient
 * statistics of a block {@code T} ({@code n x S}: {@code y, y^2} for Normal and LogNormal with
 * {@code y = x - s_j} or {@code log x - s_j} centred at the mean of the components' means
 * {@code s_j}; {@code x} for Exponential, Poisson and Bernoulli; {@code x, log x} for Gamma; the
 * one-hot code for Categorical) times the natural parameters {@code W} ({@code S x k}), plus the
 * per-component constant {@code -A} and the per-row base measure {@code h(x)}. Their statistics are
 * one product {@code U^T T} with {@code U = w∘R}. Uniform and Student-t features add per-row terms.
 *
 * <p>M-step: closed form for every exponential family (Categorical with an optional pseudocount);
 * Gamma's shape by Newton's method from Minka's start on the merged statistics; Uniform's support
 * is the range of the rows with positive responsibility (a zero-width range is widened by
 * {@code 1e-9 max(1, |x|)} on each side); Student-t by ECME (Liu and Rubin, 1995): row scales
 * {@code u = (nu+1)/(nu+delta^2)} from the current parameters, then location and scale from
 * u-weighted moments and {@code nu} from its one-dimensional equation.
 */
public final class IndependentPart implements Part {
  private static final long serialVersionUID = 1L;

  private final int[] features;
  private final UnivariateFamily[] families;
  /** {@code [c][j]}: the parameters of component c's distribution of feature j. */
  private final double[][][] parameters;
  private final int k;
  /** Centring shift of Normal and LogNormal features (0 for the others). */
  private final double[] shifts;
  /** First statistics column of each feature (-1 for the non-exponential families). */
  private final int[] offsets;
  private final int width;
  /** {@code S x k} natural parameters, column-major. */
  private final double[] natural;
  /** Per component: {@code -A} summed over the exponential-family features. */
  private final double[] constants;
  /** {@code [c * m + j]}: feature j's own {@code -A} (what a row missing feature j leaves out). */
  private final double[] featureConstants;
  private final boolean baseMeasure;

  private IndependentPart(int[] features, UnivariateFamily[] families, double[][][] parameters) {
    this.features = features;
    this.families = families;
    this.parameters = parameters;
    this.k = parameters.length;
    int m = features.length;
    shifts = new double[m];
    offsets = new int[m];
    int w = 0;
    boolean h = false;
    for (int j = 0; j < m; j++) {
      UnivariateFamily f = families[j];
      if (!f.exponentialFamily()) {
        offsets[j] = -1;
        continue;
      }
      offsets[j] = w;
      w += columns(f, parameters[0][j]);
      // Every family with a restricted support needs h: it carries -inf for values outside it.
      h |= f != UnivariateFamily.NORMAL;
      if (f == UnivariateFamily.NORMAL || f == UnivariateFamily.LOG_NORMAL) {
        double s = 0.0;
        for (int c = 0; c < k; c++) {
          s += parameters[c][j][0];
        }
        shifts[j] = s / k;
      }
    }
    width = w;
    baseMeasure = h;
    natural = new double[w * k];
    constants = new double[k];
    featureConstants = new double[k * m];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < m; j++) {
        if (offsets[j] >= 0) {
          featureConstants[c * m + j] = naturalParameters(j, parameters[c][j], natural, c * w + offsets[j]);
          constants[c] += featureConstants[c * m + j];
        }
      }
    }
  }

  /**
   * A part over the given mixture features.
   *
   * @param parameters {@code [k][m][]}: component c's parameters of feature j, laid out as
   *     {@link UnivariateFamily} says; Categorical features need the same number of categories in
   *     every component
   * @throws IllegalArgumentException on a shape mismatch or an invalid parameter, naming it
   */
  public static IndependentPart of(int[] features, UnivariateFamily[] families, double[][][] parameters) {
    int m = features.length;
    if (m < 1 || families.length != m) {
      throw new IllegalArgumentException("An independent part needs one family per feature, got " + families.length
          + " families for " + m + " features");
    }
    if (parameters.length < 1) {
      throw new IllegalArgumentException("A part needs at least one component");
    }
    double[][][] p = new double[parameters.length][m][];
    for (int c = 0; c < parameters.length; c++) {
      if (parameters[c].length != m) {
        throw new IllegalArgumentException("Component " + c + " has parameters for " + parameters[c].length
            + " features, expected " + m);
      }
      for (int j = 0; j < m; j++) {
        String bad = families[j].invalid(parameters[c][j]);
        if (bad == null && families[j] == UnivariateFamily.CATEGORICAL
            && parameters[c][j].length != parameters[0][j].length) {
          bad = "every component needs the same " + parameters[0][j].length + " categories";
        }
        if (bad != null) {
          throw new IllegalArgumentException("Component " + c + ", feature " + features[j] + " ("
              + families[j].externalName() + "): " + bad);
        }
        p[c][j] = parameters[c][j].clone();
      }
    }
    return new IndependentPart(features.clone(), families.clone(), p);
  }

  private static int columns(UnivariateFamily f, double[] p) {
    return switch (f) {
      case NORMAL, LOG_NORMAL, GAMMA -> 2;
      case CATEGORICAL -> p.length;
      default -> 1;
    };
  }

  private static double floorLog(double p) {
    return Math.max(Math.log(p), UnivariateFamily.LOG_PROBABILITY_FLOOR);
  }

  /** Writes feature j's natural parameters at {@code w[o..]} and returns its {@code -A}. */
  private double naturalParameters(int j, double[] p, double[] w, int o) {
    return switch (families[j]) {
      case NORMAL, LOG_NORMAL -> {
        double e = p[0] - shifts[j];
        w[o] = e / p[1];
        w[o + 1] = -0.5 / p[1];
        yield -0.5 * e * e / p[1] - 0.5 * Math.log(2.0 * Math.PI * p[1]);
      }
      case EXPONENTIAL -> {
        w[o] = -p[0];
        yield Math.log(p[0]);
      }
      case GAMMA -> {
        w[o] = -p[1];
        w[o + 1] = p[0] - 1.0;
        yield p[0] * Math.log(p[1]) - Gamma.logGamma(p[0]);
      }
      case POISSON -> {
        w[o] = floorLog(p[0]);
        yield -p[0];
      }
      case BERNOULLI -> {
        double lq = Math.max(Math.log1p(-p[0]), UnivariateFamily.LOG_PROBABILITY_FLOOR);
        w[o] = floorLog(p[0]) - lq;
        yield lq;
      }
      case CATEGORICAL -> {
        for (int l = 0; l < p.length; l++) {
          w[o + l] = floorLog(p[l]);
        }
        yield 0.0;
      }
      case UNIFORM, STUDENT_T -> throw new IllegalStateException(families[j] + " is not evaluated by the product");
    };
  }

  /** The families, in feature order; a copy. */
  public UnivariateFamily[] families() {
    return families.clone();
  }

  /** Component c's parameters of the part's feature j; a copy. */
  public double[] parameters(int c, int j) {
    return parameters[c][j].clone();
  }

  @Override
  public String kind() {
    return "independent";
  }

  @Override
  public int[] features() {
    return features.clone();
  }

  @Override
  public int components() {
    return k;
  }

  @Override
  public int scratchSize(int rows) {
    return 0;
  }

  /** Fills {@code t} ({@code n x S}) with the block's sufficient statistics and {@code h} with {@code h(x)}. */
  private void statistics(RowBlock block, double[] t, double[] h) {
    int n = block.rows();
    double[] x = block.columnMajorValues();
    if (h != null) {
      Arrays.fill(h, 0, n, 0.0);
    }
    for (int j = 0; j < features.length; j++) {
      int o = offsets[j];
      if (o < 0) {
        continue;
      }
      int xo = j * n;
      int to = o * n;
      switch (families[j]) {
        case NORMAL -> {
          for (int i = 0; i < n; i++) {
            double y = x[xo + i] - shifts[j];
            if (y != y) {
              outside(t, to, n, 2, i, null);
              continue;
            }
            t[to + i] = y;
            t[to + n + i] = y * y;
          }
        }
        case LOG_NORMAL -> {
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            if (!(v > 0.0)) {
              outside(t, to, n, 2, i, v != v ? null : h);
              continue;
            }
            double lx = Math.log(v);
            double y = lx - shifts[j];
            t[to + i] = y;
            t[to + n + i] = y * y;
            if (h != null) {
              h[i] -= lx;
            }
          }
        }
        case GAMMA -> {
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            if (!(v > 0.0)) {
              outside(t, to, n, 2, i, v != v ? null : h);
              continue;
            }
            t[to + i] = v;
            t[to + n + i] = Math.log(v);
          }
        }
        case POISSON -> {
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            if (!(v >= 0.0) || v != Math.rint(v)) {
              outside(t, to, n, 1, i, v != v ? null : h);
              continue;
            }
            t[to + i] = v;
            if (h != null) {
              h[i] -= logFactorial(v);
            }
          }
        }
        case EXPONENTIAL -> {
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            t[to + i] = v >= 0.0 ? v : outside(t, to, n, 1, i, v != v ? null : h);
          }
        }
        case BERNOULLI -> {
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            t[to + i] = v == 0.0 || v == 1.0 ? v : outside(t, to, n, 1, i, v != v ? null : h);
          }
        }
        case CATEGORICAL -> {
          int levels = parameters[0][j].length;
          Arrays.fill(t, to, to + levels * n, 0.0);
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            int l = (int) v;
            if (v >= 0.0 && l < levels && l == v) {
              t[to + l * n + i] = 1.0;
            } else if (h != null && v == v) {
              // A code these components do not have (another group of the mixture does): probability 0.
              h[i] += UnivariateFamily.LOG_PROBABILITY_FLOOR;
            }
          }
        }
        default -> throw new IllegalStateException("Unhandled family " + families[j]);
      }
    }
  }

  /**
   * A value outside the family's support, which only a mixture of several groups lets through (the
   * readers check every value against the union of the groups' supports): density 0 for these
   * components, with the row's statistics zeroed so that the products stay finite. Returns 0. A
   * missing value (NaN) comes here with {@code h} null: zero statistics and no base measure, and
   * {@link #logDensities} takes the feature's {@code -A} back out.
   */
  private static double outside(double[] t, int to, int n, int columns, int i, double[] h) {
    for (int q = 0; q < columns; q++) {
      t[to + q * n + i] = 0.0;
    }
    if (h != null) {
      h[i] = Double.NEGATIVE_INFINITY;
    }
    return 0.0;
  }

  @Override
  public void logDensities(RowBlock block, double[] out, double[] scratch) {
    int n = block.rows();
    if (block.features() != features.length) {
      throw new IllegalArgumentException("Block has " + block.features() + " features, the part " + features.length);
    }
    if (width > 0) {
      double[] h = baseMeasure ? new double[n] : null;
      Cached last = LAST.get();
      double[] t = last != null && last.t().length >= n * width ? last.t() : new double[n * width];
      LAST.remove();
      statistics(block, t, h);
      LAST.set(new Cached(this, block.columnMajorValues(), n, t));
      FeatureKernels.get().times(n, k, width, t, natural, out, 0, n);
      for (int c = 0; c < k; c++) {
        double a = constants[c];
        int o = c * n;
        if (h == null) {
          for (int i = 0; i < n; i++) {
            out[o + i] += a;
          }
        } else {
          for (int i = 0; i < n; i++) {
            out[o + i] += a + h[i];
          }
        }
      }
    } else {
      Arrays.fill(out, 0, n * k, 0.0);
    }
    double[] x = block.columnMajorValues();
    if (block.hasMissing()) {
      dropMissingConstants(x, n, out);
    }
    for (int j = 0; j < features.length; j++) {
      if (offsets[j] >= 0) {
        continue;
      }
      int xo = j * n;
      for (int c = 0; c < k; c++) {
        double[] p = parameters[c][j];
        int o = c * n;
        if (families[j] == UnivariateFamily.UNIFORM) {
          double inside = -Math.log(p[1] - p[0]);
          for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            out[o + i] += v >= p[0] && v <= p[1] ? inside : v != v ? 0.0 : Double.NEGATIVE_INFINITY;
          }
        } else {
          double a = UnivariateFamily.studentTConstant(p[1], p[2]);
          double half = 0.5 * (p[2] + 1.0);
          for (int i = 0; i < n; i++) {
            double z = (x[xo + i] - p[0]) / p[1];
            if (z == z) {
              out[o + i] += a - half * Math.log1p(z * z / p[2]);
            }
          }
        }
      }
    }
  }

  /** Rows missing an exponential-family feature: its {@code -A}, added with the constants, comes back out. */
  private void dropMissingConstants(double[] x, int n, double[] out) {
    int m = features.length;
    for (int j = 0; j < m; j++) {
      if (offsets[j] < 0) {
        continue;
      }
      int xo = j * n;
      for (int i = 0; i < n; i++) {
        if (x[xo + i] != x[xo + i]) {
          for (int c = 0; c < k; c++) {
            out[c * n + i] -= featureConstants[c * m + j];
          }
        }
      }
    }
  }

  @Override
  public void impute(RowBlock block, double[] posteriors, int first, Imputation into) {
    if (!block.hasMissing()) {
      return;
    }
    int n = block.rows();
    for (int j = 0; j < features.length; j++) {
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(block.value(i, j))) {
          continue;
        }
        for (int c = 0; c < k; c++) {
          double w = posteriors[(first + c) * n + i];
          if (families[j] == UnivariateFamily.CATEGORICAL) {
            double[] p = parameters[c][j];
            for (int l = 0; l < p.length; l++) {
              into.addLevel(features[j], i, l, p.length, w * p[l]);
            }
          } else {
            into.add(features[j], i, w, families[j].mean(parameters[c][j]));
          }
        }
      }
    }
  }

  @Override
  public PartStatistics emptyStatistics() {
    return new Statistics(this);
  }

  @Override
  public PartStatistics expectedStatistics(double[] mass, Regularisation reg) {
    Statistics s = new Statistics(this);
    int m = features.length;
    for (int c = 0; c < k; c++) {
      double n = mass[c];
      s.mass[c] = n;
      for (int j = 0; j < m; j++) {
        s.observed[c * m + j] = n;
        double[] p = parameters[c][j];
        int o = offsets[j];
        switch (families[j]) {
          case NORMAL, LOG_NORMAL -> {
            double e = p[0] - shifts[j];
            s.sums[o * k + c] = n * e;
            s.sums[(o + 1) * k + c] = n * (p[1] - reg.variance(features[j]) + e * e);
          }
          case EXPONENTIAL -> s.sums[o * k + c] = n / p[0];
          case GAMMA -> {
            s.sums[o * k + c] = n * p[0] / p[1];
            s.sums[(o + 1) * k + c] = n * (Polygamma.digamma(p[0]) - Math.log(p[1]));
          }
          case POISSON, BERNOULLI -> s.sums[o * k + c] = n * p[0];
          case CATEGORICAL -> {
            for (int l = 0; l < p.length; l++) {
              s.sums[(o + l) * k + c] = n * p[l];
            }
          }
          case UNIFORM -> {
            if (n > 0.0) {
              s.low[c * m + j] = p[0];
              s.high[c * m + j] = p[1];
            }
          }
          case STUDENT_T -> {
            // ECME's sums at the parameters' fixed point: sum u = N, sum u y = 0, sum u y^2 = N (scale^2 - reg),
            // and the nu equation's sum of (log u - u) chosen so that it returns nu.
            int b = (c * m + j) * 4;
            double half = 0.5 * (p[2] + 1.0);
            s.t[b] = n;
            s.t[b + 2] = n * (p[1] * p[1] - reg.variance(features[j]));
            s.t[b + 3] = n * (Polygamma.digamma(0.5 * p[2]) - Math.log(0.5 * p[2]) - 1.0 - Polygamma.digamma(half)
                + Math.log(half));
          }
          default -> throw new IllegalStateException("Unhandled family " + families[j]);
        }
      }
    }
    return s;
  }

  @Override
  public long parameterCount() {
    long count = 0;
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < features.length; j++) {
        count += families[j].freeParameters(parameters[c][j]);
      }
    }
    return count;
  }

  @Override
  public void draw(int c, SplittableRandom random, double[] out) {
    for (int j = 0; j < features.length; j++) {
      out[j] = families[j].draw(parameters[c][j], random);
    }
  }

  @Override
  public double[] mean(int c) {
    double[] m = new double[features.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = families[j].mean(parameters[c][j]);
    }
    return m;
  }

  @Override
  public double[][] covariance(int c) {
    double[][] s = new double[features.length][features.length];
    for (int j = 0; j < features.length; j++) {
      s[j][j] = families[j].variance(parameters[c][j]);
    }
    return s;
  }

  @Override
  public String outsideSupport(int index, double value) {
    UnivariateFamily f = families[index];
    String bad = f.outsideSupport(value);
    if (bad != null) {
      return bad;
    }
    if (f == UnivariateFamily.CATEGORICAL && value >= parameters[0][index].length) {
      return "is a category code the model does not know (it has codes 0 to " + (parameters[0][index].length - 1) + ")";
    }
    if (f == UnivariateFamily.UNIFORM) {
      for (int c = 0; c < k; c++) {
        if (value >= parameters[c][index][0] && value <= parameters[c][index][1]) {
          return null;
        }
      }
      return "lies outside the support of every component's uniform";
    }
    return null;
  }

  @Override
  public Part estimate(PartStatistics statistics, Estimation e) {
    Statistics s = (Statistics) statistics;
    boolean newLocation = e.update().contains(Parameter.MEANS);
    boolean newSpread = e.update().contains(Parameter.COVARIANCES);
    int m = features.length;
    double[][][] next = new double[k][m][];
    boolean reseeding = false;
    for (double[] row : e.reseedAt()) {
      reseeding |= row != null;
    }
    Statistics pooled = reseeding ? s.pooled(e) : null;
    for (int j = 0; j < m; j++) {
      UnivariateFamily f = families[j];
      double[] pool = pooled != null && pooled.mass() > 0.0
          ? estimateOne(pooled, 0, j, parameters[0][j], e, true, true) : null;
      for (int c = 0; c < k; c++) {
        double[] old = parameters[c][j];
        double[] at = e.reseedAt(c, features);
        if (e.keep()[c]) {
          next[c][j] = old.clone();
        } else if (at != null) {
          next[c][j] = reseeded(f, old, pool, at[j], newLocation, newSpread);
        } else {
          next[c][j] = estimateOne(s, c, j, old, e, newLocation, newSpread);
        }
      }
    }
    return new IndependentPart(features, families, next);
  }

  private static double[] reseeded(UnivariateFamily f, double[] old, double[] pool, double x, boolean newLocation,
      boolean newSpread) {
    double[] p = old.clone();
    if (f.locationScale()) {
      if (newLocation && !Double.isNaN(x)) { // a re-seed row missing the feature keeps the old location
        p[0] = f == UnivariateFamily.LOG_NORMAL ? Math.log(x) : x;
      }
      if (newSpread && pool != null) {
        System.arraycopy(pool, 1, p, 1, p.length - 1);
      }
    } else if (newLocation && pool != null) {
      p = pool.clone();
    }
    return p;
  }

  private double[] estimateOne(Statistics s, int c, int j, double[] old, Estimation e, boolean newLocation,
      boolean newSpread) {
    UnivariateFamily f = families[j];
    // The mass of the rows where the feature is observed: the per-feature denominator of FIML.
    double n = s.observed[c * features.length + j];
    double[] p = old.clone();
    if (!(n > 0.0) && s.mass[c] > 0.0) {
      return p; // the component's rows all miss this feature: nothing to learn about it
    }
    if (!newLocation && !(f.locationScale() && newSpread)) {
      return p;
    }
    int o = offsets[j];
    String where = "component " + c + ", feature " + features[j] + " (" + f.externalName() + ")";
    switch (f) {
      case NORMAL, LOG_NORMAL -> {
        double s1 = s.sum(c, o) / n;
        double s2 = s.sum(c, o + 1) / n;
        double e0 = old[0] - shifts[j];
        if (newLocation) {
          p[0] = shifts[j] + s1;
        }
        if (newSpread) {
          double v = newLocation ? s2 - s1 * s1 : s2 - 2.0 * e0 * s1 + e0 * e0;
          p[1] = v + e.reg().variance(features[j]);
          if (!(p[1] > 0.0)) {
            throw new IllegalStateException("The variance of " + where + " is " + p[1]
                + ": the feature is constant there; increase reg_covar");
          }
        }
      }
      case EXPONENTIAL -> {
        p[0] = n / s.sum(c, o);
        if (!(p[0] < Double.POSITIVE_INFINITY)) {
          throw new IllegalStateException("The rate of " + where + " is infinite: every row it is responsible for is"
              + " 0; use another family for this feature or fewer components");
        }
      }
      case GAMMA -> {
        double mean = s.sum(c, o) / n;
        double meanLog = s.sum(c, o + 1) / n;
        p[0] = UnivariateFamily.solveShape(Math.log(mean) - meanLog);
        p[1] = p[0] / mean;
      }
      case POISSON, BERNOULLI -> p[0] = Math.min(s.sum(c, o) / n, f == UnivariateFamily.BERNOULLI ? 1.0 : Double.MAX_VALUE);
      case CATEGORICAL -> {
        int levels = p.length;
        double a = e.pseudocount();
        // The counts' own sum, not the mass: equal but for rounding, and no probability above 1.
        double total = 0.0;
        for (int l = 0; l < levels; l++) {
          total += s.sum(c, o + l);
        }
        for (int l = 0; l < levels; l++) {
          p[l] = (s.sum(c, o + l) + a) / (total + a * levels);
        }
      }
      case UNIFORM -> {
        double lo = s.low[c * features.length + j];
        double hi = s.high[c * features.length + j];
        if (lo <= hi) {
          if (hi == lo) {
            double pad = 1e-9 * Math.max(1.0, Math.abs(lo));
            lo -= pad;
            hi += pad;
          }
          p[0] = lo;
          p[1] = hi;
        }
      }
      case STUDENT_T -> {
        int b = (c * features.length + j) * 4;
        double su = s.t[b];
        double delta = s.t[b + 1] / su;
        if (newLocation) {
          p[0] = old[0] + delta;
        }
        if (newSpread) {
          double d = newLocation ? delta : 0.0;
          double v = (s.t[b + 2] - 2.0 * d * s.t[b + 1] + d * d * su) / n + e.reg().variance(features[j]);
          if (!(v > 0.0)) {
            throw new IllegalStateException("The scale of " + where + " is 0: the feature is constant there;"
                + " increase reg_covar");
          }
          p[1] = Math.sqrt(v);
          double half = 0.5 * (old[2] + 1.0);
          double target = -(1.0 + s.t[b + 3] / n + Polygamma.digamma(half) - Math.log(half));
          p[2] = Math.min(2.0 * UnivariateFamily.solveShape(target), MAX_DOF);
        }
      }
      default -> throw new IllegalStateException("Unhandled family " + f);
    }
    String bad = f.invalid(p);
    if (bad != null) {
      throw new IllegalStateException("The M-step gave an invalid " + where + ": " + bad);
    }
    return p;
  }

  /** {@code log(x!)} for the counts below this come from a table (Poisson's base measure, per row). */
  static final int LOG_FACTORIAL_TABLE = 1 << 12;
  private static final double[] LOG_FACTORIAL = new double[LOG_FACTORIAL_TABLE];

  static {
    for (int x = 0; x < LOG_FACTORIAL_TABLE; x++) {
      LOG_FACTORIAL[x] = Gamma.logGamma(x + 1.0);
    }
  }

  static double logFactorial(double x) {
    return x < LOG_FACTORIAL_TABLE ? LOG_FACTORIAL[(int) x] : Gamma.logGamma(x + 1.0);
  }

  /**
   * The last block's sufficient statistics on this thread, so that the statistics pass right after
   * the E-step of the same block and part ({@link org.sparkgmm.em.EmAccumulator} does both) does not
   * compute them again. Keyed by the part and the block's value array (blocks are immutable).
   */
  private static final ThreadLocal<Cached> LAST = new ThreadLocal<>();

  private record Cached(IndependentPart part, double[] values, int rows, double[] t) {}

  /** {@code T} of the block, from this thread's cache when the E-step just computed it. */
  private double[] cachedStatistics(RowBlock block, double[] work) {
    Cached c = LAST.get();
    if (c != null && c.part() == this && c.values() == block.columnMajorValues() && c.rows() == block.rows()) {
      return c.t();
    }
    statistics(block, work, null);
    return work;
  }

  /** Degrees of freedom above this are a Normal for every purpose; the estimate stops there. */
  static final double MAX_DOF = 1e6;

  /**
   * The part's statistics: masses, {@code U^T T} for the exponential families, the range of the
   * rows with positive responsibility for Uniform, and ECME sums {@code sum w u, sum w u y,
   * sum w u y^2, sum w (log u - u)} for Student-t, with {@code y = x - location} and {@code u} from
   * the parameters the statistics are gathered at.
   */
  static final class Statistics implements PartStatistics {
    private static final long serialVersionUID = 1L;
    private final IndependentPart part;
    final double[] mass;
    /** {@code [c * m + j]}: the mass of the rows with feature j observed (equal to the mass without missing values). */
    final double[] observed;
    /** {@code S x k}, column-major by statistic: {@code sums[q * k + c]}. */
    final double[] sums;
    final double[] low;
    final double[] high;
    final double[] t;
    private transient double[] work;
    private transient double[] weighted;

    Statistics(IndependentPart part) {
      this.part = part;
      int k = part.k;
      int m = part.features.length;
      mass = new double[k];
      observed = new double[k * m];
      sums = new double[part.width * k];
      low = new double[k * m];
      high = new double[k * m];
      Arrays.fill(low, Double.POSITIVE_INFINITY);
      Arrays.fill(high, Double.NEGATIVE_INFINITY);
      t = new double[k * m * 4];
    }

    double sum(int c, int q) {
      return sums[q * part.k + c];
    }

    double mass() {
      double s = 0.0;
      for (double v : mass) {
        s += v;
      }
      return s;
    }

    @Override
    public void add(RowBlock block, double[] resp) {
      int n = block.rows();
      int k = part.k;
      if (n == 0) {
        return;
      }
      if (weighted == null || weighted.length < n * k) {
        weighted = new double[n * k];
      }
      double[] u = weighted;
      int m = part.features.length;
      double[] x = block.columnMajorValues();
      for (int c = 0; c < k; c++) {
        double total = 0.0;
        for (int i = 0; i < n; i++) {
          double v = resp[c * n + i] * block.weight(i);
          u[c * n + i] = v;
          total += v;
        }
        mass[c] += total;
        for (int j = 0; j < m; j++) {
          double seen = total;
          if (block.hasMissing()) {
            for (int i = 0; i < n; i++) {
              if (x[j * n + i] != x[j * n + i]) {
                seen -= u[c * n + i];
              }
            }
          }
          observed[c * m + j] += seen;
        }
      }
      if (part.width > 0) {
        if (work == null || work.length < n * part.width) {
          work = new double[n * part.width];
        }
        double[] t = part.cachedStatistics(block, work);
        double[] product = new double[part.width * k];
        FeatureKernels.get().transposeTimes(n, k, part.width, u, 0, n, t, product);
        for (int q = 0; q < product.length; q++) {
          sums[q] += product[q];
        }
      }
      for (int j = 0; j < m; j++) {
        UnivariateFamily f = part.families[j];
        if (f.exponentialFamily()) {
          continue;
        }
        int xo = j * n;
        for (int c = 0; c < k; c++) {
          int o = c * n;
          if (f == UnivariateFamily.UNIFORM) {
            int at = c * m + j;
            for (int i = 0; i < n; i++) {
              if (u[o + i] > 0.0 && x[xo + i] == x[xo + i]) {
                low[at] = Math.min(low[at], x[xo + i]);
                high[at] = Math.max(high[at], x[xo + i]);
              }
            }
          } else {
            double[] p = part.parameters[c][j];
            int b = (c * m + j) * 4;
            double variance = p[1] * p[1];
            for (int i = 0; i < n; i++) {
              double w = u[o + i];
              if (w == 0.0) {
                continue;
              }
              double y = x[xo + i] - p[0];
              if (y != y) {
                continue;
              }
              double r = (p[2] + 1.0) / (p[2] + y * y / variance);
              t[b] += w * r;
              t[b + 1] += w * r * y;
              t[b + 2] += w * r * y * y;
              t[b + 3] += w * (Math.log(r) - r);
            }
          }
        }
      }
    }

    @Override
    public PartStatistics merge(PartStatistics other) {
      Statistics o = (Statistics) other;
      if (o.mass.length != mass.length || o.sums.length != sums.length || o.t.length != t.length
          || !Arrays.equals(o.part.shifts, part.shifts)) {
        throw new IllegalArgumentException("Cannot merge statistics of different parts");
      }
      for (int c = 0; c < mass.length; c++) {
        mass[c] += o.mass[c];
      }
      for (int q = 0; q < observed.length; q++) {
        observed[q] += o.observed[q];
      }
      for (int q = 0; q < sums.length; q++) {
        sums[q] += o.sums[q];
      }
      for (int q = 0; q < low.length; q++) {
        low[q] = Math.min(low[q], o.low[q]);
        high[q] = Math.max(high[q], o.high[q]);
      }
      for (int q = 0; q < t.length; q++) {
        t[q] += o.t[q];
      }
      return this;
    }

    @Override
    public PartStatistics scaled(double factor) {
      Statistics out = new Statistics(part);
      for (int c = 0; c < mass.length; c++) {
        out.mass[c] = factor * mass[c];
      }
      for (int q = 0; q < observed.length; q++) {
        out.observed[q] = factor * observed[q];
      }
      for (int q = 0; q < sums.length; q++) {
        out.sums[q] = factor * sums[q];
      }
      if (factor != 0.0) { // weight 0 forgets the rows, their range too
        System.arraycopy(low, 0, out.low, 0, low.length);
        System.arraycopy(high, 0, out.high, 0, high.length);
      }
      for (int q = 0; q < t.length; q++) {
        out.t[q] = factor * t[q];
      }
      return out;
    }

    @Override
    public PartStatistics recentred(Part at) {
      IndependentPart p = (IndependentPart) at;
      if (p.k != part.k || !Arrays.equals(p.families, part.families) || p.width != part.width) {
        throw new IllegalArgumentException("Cannot recentre statistics on another part's shape");
      }
      Statistics out = new Statistics(p);
      int k = part.k;
      int m = part.features.length;
      System.arraycopy(mass, 0, out.mass, 0, k);
      System.arraycopy(observed, 0, out.observed, 0, observed.length);
      System.arraycopy(sums, 0, out.sums, 0, sums.length);
      System.arraycopy(low, 0, out.low, 0, low.length);
      System.arraycopy(high, 0, out.high, 0, high.length);
      System.arraycopy(t, 0, out.t, 0, t.length);
      for (int j = 0; j < m; j++) {
        UnivariateFamily f = part.families[j];
        if (f == UnivariateFamily.NORMAL || f == UnivariateFamily.LOG_NORMAL) {
          // y = x - s about the old shift, y' = y - delta about the new one.
          double delta = p.shifts[j] - part.shifts[j];
          int o = part.offsets[j];
          for (int c = 0; c < k; c++) {
            double n = observed[c * m + j];
            double s1 = sums[o * k + c];
            out.sums[o * k + c] = s1 - n * delta;
            out.sums[(o + 1) * k + c] = sums[(o + 1) * k + c] - 2.0 * delta * s1 + n * delta * delta;
          }
        } else if (f == UnivariateFamily.STUDENT_T) {
          for (int c = 0; c < k; c++) {
            double delta = p.parameters[c][j][0] - part.parameters[c][j][0];
            int b = (c * m + j) * 4;
            out.t[b + 1] = t[b + 1] - delta * t[b];
            out.t[b + 2] = t[b + 2] - 2.0 * delta * t[b + 1] + delta * delta * t[b];
          }
        }
      }
      return out;
    }

    @Override
    public double mass(int c) {
      return mass[c];
    }

    /**
     * The statistics of the estimated components summed into component 0 (the pool re-seeded
     * components take their spread from). Student-t sums are pooled about each component's own location.
     */
    Statistics pooled(Estimation e) {
      Statistics out = new Statistics(part);
      int k = part.k;
      int m = part.features.length;
      for (int c = 0; c < k; c++) {
        if (!e.estimated(c)) {
          continue;
        }
        out.mass[0] += mass[c];
        for (int j = 0; j < m; j++) {
          out.observed[j] += observed[c * m + j];
        }
        for (int q = 0; q < part.width; q++) {
          out.sums[q * k] += sums[q * k + c];
        }
        for (int j = 0; j < m; j++) {
          out.low[j] = Math.min(out.low[j], low[c * m + j]);
          out.high[j] = Math.max(out.high[j], high[c * m + j]);
          int b = (c * m + j) * 4;
          double su = t[b];
          double mu = su > 0.0 ? t[b + 1] / su : 0.0;
          out.t[j * 4] += su;
          out.t[j * 4 + 2] += t[b + 2] - mu * t[b + 1];
          out.t[j * 4 + 3] += t[b + 3];
        }
      }
      return out;
    }
  }
}
