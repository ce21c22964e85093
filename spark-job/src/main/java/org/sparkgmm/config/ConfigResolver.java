package org.sparkgmm.config;

import org.sparkgmm.component.ComponentSpec;
import org.sparkgmm.em.EmOptions;
import org.sparkgmm.em.RegScale;
import org.sparkgmm.init.InitMode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.errors.UsageException;

/**
 * The one place where settings are resolved: command line over {@code --config} file over defaults.
 *
 * <p>Every flag {@code --name} has the config-file key {@code gmm.name}; keys starting with
 * {@code spark.} in the file are Spark settings (as {@code --conf}). Unknown keys are refused.
 */
public final class ConfigResolver {
  /** The flags (without dashes) a config file may set, with their defaults (null: none). */
  public static final Map<String, String> DEFAULTS = defaults();

  /**
   * Starts of a batch-EM fit whose starts come from the data, unless --n-init says otherwise (1
   * with --init-model, --label-col or stepwise EM, whose starts run one after another).
   */
  public static final int DEFAULT_STARTS = 10;

  /**
   * The starts small-EM keeps unless told: 1, or with {@code --init hc} all of them, since
   * hierarchical starts differ in kind (each tree its own prior scatter) and ten iterations do not
   * rank them.
   */
  public static int defaultSmallEmKeep(InitMode init, int nInit) {
    return init == InitMode.HC ? nInit : 1;
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("input", null);
    d.put("format", null);
    d.put("features", null);
    d.put("features-col", null);
    d.put("weight-col", null);
    d.put("k", null);
    d.put("covariance", null);
    d.put("distributions", null);
    d.put("pseudocount", "0");
    d.put("freeze", null);
    d.put("max-iter", "100");
    d.put("tol", null);
    d.put("reg-covar", "1e-6");
    d.put("reg-covar-scale", "data");
    d.put("init", "kmeans-parallel");
    d.put("n-init", null);
    d.put("small-em-iter", "10");
    d.put("small-em-keep", null);
    d.put("init-iter", "5");
    d.put("init-model", null);
    d.put("label-col", null);
    d.put("update", "wmc");
    d.put("seed", "0");
    d.put("invalid-rows", "error");
    d.put("missing", "invalid");
    d.put("storage", "memory-and-disk");
    d.put("checkpoint-dir", null);
    d.put("checkpoint-every", "5");
    d.put("batch-size", null);
    d.put("t0", "2");
    d.put("kappa", "0.6");
    d.put("epochs", "10");
    d.put("final-batch-iter", "0");
    d.put("output", null);
    d.put("overwrite", "false");
    d.put("partitions", "0");
    d.put("block-rows", "4096");
    d.put("master", null);
    d.put("verbose", "false");
    d.put("predictions", "false");
    d.put("keep-cols", null);
    d.put("log-proba", "false");
    d.put("no-report", "false");
    d.put("report-features", null);
    return java.util.Collections.unmodifiableMap(d);
  }

  private ConfigResolver() {}

  /**
   * Resolves a fit configuration.
   *
   * @param cli flag values given on the command line, by flag name without dashes
   * @param cliSparkConf {@code key=value} pairs from repeated {@code --conf}
   * @param configFile a properties file, or null
   * @throws UsageException for unknown keys, unparsable values or an unreadable config file
   */
  public static FitConfig resolve(Map<String, String> cli, List<String> cliSparkConf, String configFile) {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    Map<String, String> spark = new TreeMap<>();
    if (configFile != null) {
      readConfigFile(configFile, values, spark);
    }
    return resolve(values, spark, cli, cliSparkConf);
  }

  /**
   * Resolves a {@code gmm select} configuration: the grid from {@code --k} and {@code --covariance}
   * (lists on the command line or as {@code gmm.k} / {@code gmm.covariance} in the config file), and
   * the fit settings every candidate shares, resolved as {@link #resolve} with the grid's first
   * candidate as their k and covariance type.
   *
   * @param kList the {@code --k} flag (e.g. {@code 1..10}), or null to take the config file's
   * @param covarianceList the {@code --covariance} flag, or null to take the config file's (else all four)
   * @throws UsageException as {@link #resolve}, and for a bad list or criterion
   */
  public static SelectConfig resolveSelect(Map<String, String> cli, List<String> cliSparkConf, String configFile,
      String kList, String covarianceList, String criterion) {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    Map<String, String> spark = new TreeMap<>();
    if (configFile != null) {
      readConfigFile(configFile, values, spark);
    }
    List<Integer> ks = SelectConfig.parseKs(kList != null ? kList : values.get("k"));
    List<CovarianceType> types = SelectConfig.parseTypes(covarianceList != null ? covarianceList
        : values.get("covariance"));
    Map<String, String> flags = new LinkedHashMap<>(cli);
    flags.put("k", Integer.toString(ks.get(0)));
    boolean distributions = cli.get("distributions") != null || values.get("distributions") != null;
    if (distributions && (covarianceList != null || values.get("covariance") != null)) {
      throw new UsageException("--distributions fixes the structure select tries (over k): drop --covariance");
    }
    if (!distributions) {
      flags.put("covariance", types.get(0).externalName());
    }
    return new SelectConfig(ks, types, Criterion.fromName(criterion), resolve(values, spark, flags, cliSparkConf));
  }

  private static FitConfig resolve(Map<String, String> values, Map<String, String> spark, Map<String, String> cli,
      List<String> cliSparkConf) {
    cli.forEach((key, value) -> {
      if (!DEFAULTS.containsKey(key)) {
        throw new UsageException("Unknown option --" + key);
      }
      if (value != null) {
        values.put(key, value);
      }
    });
    for (String pair : cliSparkConf) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--conf takes key=value, got '" + pair + "'");
      }
      spark.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
    }
    Parser p = new Parser(values);
    String initModel = p.string("init-model");
    String covariance = p.string("covariance");
    ComponentSpec distributions = p.distributions();
    if (distributions != null && covariance != null) {
      throw new UsageException("--distributions says how every feature is modelled: drop --covariance (a Gaussian"
          + " block is written (a,b,c):" + covariance + ")");
    }
    if (distributions != null && p.string("features") != null) {
      throw new UsageException("--distributions names the features: drop --features");
    }
    if (distributions != null && p.string("features-col") != null) {
      throw new UsageException("--distributions names feature columns: drop --features-col");
    }
    int nInit = p.string("n-init") != null ? p.integer("n-init")
        : initModel == null && p.string("label-col") == null && p.string("batch-size") == null ? DEFAULT_STARTS : 1;
    InitMode init = p.init(p.string("init"));
    return new FitConfig(
        p.string("input"),
        InputFormat.resolve(p.string("format"), p.string("input") == null ? "" : p.string("input")),
        distributions != null ? distributions.features() : p.list("features"),
        p.string("features-col"),
        p.string("weight-col"),
        p.string("k") == null ? requireInitModelOrLabels(initModel, p.string("label-col")) : p.integer("k"),
        covariance == null ? (initModel == null && distributions == null ? CovarianceType.FULL : null)
            : p.covariance(covariance),
        p.integer("max-iter"),
        p.string("tol") == null ? (distributions != null ? EmOptions.GENERAL_TOL : EmOptions.DEFAULTS.tol())
            : p.number("tol"),
        p.number("reg-covar"),
        regScale(p.string("reg-covar-scale")),
        init,
        nInit,
        p.integer("small-em-iter"),
        p.string("small-em-keep") != null ? p.integer("small-em-keep") : defaultSmallEmKeep(init, nInit),
        p.integer("init-iter"),
        initModel,
        p.string("label-col"),
        p.update("update"),
        p.longInteger("seed"),
        InvalidRows.fromName(p.string("invalid-rows")),
        MissingValues.fromName(p.string("missing")),
        p.string("output"),
        p.bool("overwrite"),
        p.integer("partitions"),
        p.integer("block-rows"),
        p.string("master"),
        spark,
        p.bool("verbose"),
        p.bool("predictions"),
        p.list("keep-cols"),
        p.bool("log-proba"),
        !p.bool("no-report"),
        p.list("report-features"),
        distributions,
        p.components("freeze"),
        p.number("pseudocount"),
        Storage.fromName(p.string("storage")),
        p.string("batch-size") == null ? null : new OnlineSettings(p.number("batch-size"), p.number("t0"),
            p.number("kappa"), p.integer("epochs"), p.integer("final-batch-iter")),
        new Checkpointing(p.string("checkpoint-dir"), p.integer("checkpoint-every")));
  }

  private static RegScale regScale(String name) {
    try {
      return RegScale.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--reg-covar-scale: " + e.getMessage());
    }
  }

  private static int requireInitModelOrLabels(String initModel, String labelCol) {
    if (initModel == null && labelCol == null) {
      throw new UsageException("--k is required: the number of components (or start from --init-model PATH,"
          + " or take one component per label with --label-col COL)");
    }
    return 0;
  }

  private static void readConfigFile(String file, Map<String, String> values, Map<String, String> spark) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (NoSuchFileException e) {
      throw new UsageException("--config file " + file + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("Cannot read --config file " + file + ": " + e.getMessage());
    }
    for (String key : new TreeMap<>(Map.copyOf(asStrings(props))).keySet()) {
      String value = props.getProperty(key).trim();
      if (key.startsWith("spark.")) {
        spark.put(key, value);
      } else if (key.startsWith("gmm.") && DEFAULTS.containsKey(key.substring(4))) {
        values.put(key.substring(4), value.isEmpty() ? null : value);
      } else {
        throw new UsageException("Unknown key '" + key + "' in " + file + ": use gmm.<flag> (e.g. gmm.max-iter)"
            + " or a spark.* setting");
      }
    }
  }

  private static Map<String, String> asStrings(Properties props) {
    Map<String, String> m = new TreeMap<>();
    for (String name : props.stringPropertyNames()) {
      m.put(name, props.getProperty(name));
    }
    return m;
  }

  /** Typed reads with one message shape: "Invalid value for --flag: 'v' is not ...". */
  private record Parser(Map<String, String> values) {
    String string(String key) {
      String v = values.get(key);
      return v == null || v.isBlank() ? null : v.trim();
    }

    List<String> list(String key) {
      String v = string(key);
      if (v == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (String part : v.split(",", -1)) {
        out.add(part.trim());
      }
      return out;
    }

    int integer(String key) {
      String v = string(key);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw invalid(key, v, "an integer");
      }
    }

    long longInteger(String key) {
      String v = string(key);
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw invalid(key, v, "an integer");
      }
    }

    double number(String key) {
      String v = string(key);
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException | NullPointerException e) {
        throw invalid(key, v, "a number");
      }
    }

    boolean bool(String key) {
      String v = string(key).toLowerCase(Locale.ROOT);
      if (Set.of("true", "false").contains(v)) {
        return Boolean.parseBoolean(v);
      }
      throw invalid(key, v, "true or false");
    }

    Set<Parameter> update(String key) {
      String v = values.get(key);
      try {
        return Parameter.parse(v);
      } catch (IllegalArgumentException e) {
        throw new UsageException("Invalid value for --" + key + ": '" + (v == null ? "" : v) + "': " + e.getMessage());
      }
    }

    ComponentSpec distributions() {
      String v = values.get("distributions");
      if (v == null) {
        return null;
      }
      try {
        return ComponentSpec.parse(v);
      } catch (IllegalArgumentException e) {
        throw new UsageException("Invalid value for --distributions: " + e.getMessage());
      }
    }

    Set<Integer> components(String key) {
      Set<Integer> out = new java.util.TreeSet<>();
      for (String item : list(key)) {
        try {
          int c = Integer.parseInt(item.trim());
          if (c < 0) {
            throw new NumberFormatException();
          }
          out.add(c);
        } catch (NumberFormatException e) {
          throw new UsageException("Invalid value for --" + key + ": '" + item + "' is not a component index (0, 1, ...)");
        }
      }
      return out;
    }

    InitMode init(String v) {
      try {
        return InitMode.fromName(v);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }

    CovarianceType covariance(String v) {
      try {
        return CovarianceType.fromName(v);
      } catch (IllegalArgumentException e) {
        throw new UsageException("Invalid value for --covariance: '" + v + "': use one of "
            + CovarianceType.names());
      }
    }

    private static UsageException invalid(String key, String value, String what) {
      return new UsageException("Invalid value for --" + key + ": '" + value + "' is not " + what);
    }
  }

  /** The resolved settings as one log line, Spark secrets left out. */
  public static String describe(FitConfig c) {
    List<String> parts = new ArrayList<>(Arrays.asList(
        "input=" + c.input(), "format=" + c.format().externalName(),
        "features=" + (c.featuresCol() != null ? c.featuresCol() : c.features().isEmpty() ? "<all numeric>"
            : String.join(",", c.features())),
        "k=" + (c.k() == 0 ? "<from init-model>" : c.k()),
        c.distributions() != null ? "distributions=" + c.distributions().format()
            : "covariance=" + (c.covariance() == null ? "<from init-model>" : c.covariance().externalName()),
        "max-iter=" + c.maxIter(), "tol=" + c.tol(), "reg-covar=" + c.regCovar(),
        "reg-covar-scale=" + c.regCovarScale().externalName(),
        "init=" + (c.initModel() != null ? "model:" + c.initModel()
            : c.labelCol() != null ? "labels:" + c.labelCol() : c.init().externalName()),
        "n-init=" + c.nInit(),
        "small-em=" + (c.smallEmKeep() >= c.nInit() ? "off" : c.smallEmIter() + "x" + c.smallEmKeep()), "update=" + Parameter.letters(c.update()),
        "seed=" + c.seed(), "invalid-rows=" + c.invalidRows().externalName(), "output=" + c.output()));
    if (c.missing() == MissingValues.MARGINALIZE) {
      parts.add("missing=marginalize");
    }
    if (c.storage() != Storage.MEMORY_AND_DISK) {
      parts.add("storage=" + c.storage().externalName());
    }
    if (c.online() != null) {
      parts.add(String.format(java.util.Locale.ROOT, "batch-size=%s t0=%s kappa=%s epochs=%d final-batch-iter=%d",
          c.online().batchSize() < 1 ? Double.toString(c.online().batchSize()) : Long.toString((long) c.online().batchSize()),
          c.online().t0(), c.online().kappa(), c.online().epochs(), c.online().finalIterations()));
    }
    if (c.weightCol() != null) {
      parts.add("weight-col=" + c.weightCol());
    }
    if (c.partitions() > 0) {
      parts.add("partitions=" + c.partitions());
    }
    if (!c.freeze().isEmpty()) {
      parts.add("freeze=" + c.freeze().stream().sorted().map(String::valueOf).collect(
          java.util.stream.Collectors.joining(",")));
    }
    if (c.pseudocount() > 0) {
      parts.add("pseudocount=" + c.pseudocount());
    }
    return String.join(" ", parts);
  }
}
