package org.sparkgmm.io;

import java.util.Map;
import org.apache.spark.sql.types.StringType;
import org.sparkgmm.component.Support;
import org.sparkgmm.component.UnivariateFamily;
import org.sparkgmm.model.Mixture;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.FractionalType;
import org.apache.spark.storage.StorageLevel;
import org.sparkgmm.config.FitConfig;
import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.InvalidRows;
import org.sparkgmm.config.MissingValues;
import org.sparkgmm.config.Storage;
import org.sparkgmm.errors.BadInputException;
import scala.Tuple2;

/** Reads the input table from any Hadoop path, validates it and packs it into cached blocks. */
public final class InputReader {
  private InputReader() {}

  /**
   * Reads a table, refusing a path that does not exist or cannot be read.
   *
   * @throws BadInputException naming the path and the problem
   */
  public static Dataset<Row> read(SparkSession spark, String input, InputFormat format) {
    requireReadable(spark, input);
    try {
      return switch (format) {
        case PARQUET -> requireOneSchema(spark, input, spark.read().parquet(input));
        // FAILFAST: a row with more or fewer fields than the header is an error, never cut or padded.
        case CSV -> spark.read().option("header", "true").option("inferSchema", "true").option("mode", "FAILFAST")
            .csv(input);
      };
    } catch (Exception e) { // Scala's AnalysisException and SparkException are checked in Java's eyes.
      if (e instanceof AnalysisException || e instanceof SparkException || e.getCause() instanceof IOException) {
        if (root(e) instanceof IOException io && AccessErrors.denied(io)) {
          // A file inside the input directory that this user may not read: not a format question.
          throw new BadInputException("Input path " + input + " cannot be read: permission denied ("
              + rootCause(e) + ")", e);
        }
        throw new BadInputException("Cannot read " + input + " as " + format.externalName() + ": "
            + rootCause(e) + " (use --format to say what it is)", e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * The data files under {@code matches} (files whose names do not start with {@code _} or
   * {@code .}, as Spark reads them), in path order, at most {@code limit}.
   */
  private static List<Path> dataFiles(FileSystem fs, FileStatus[] matches, int limit) throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus m : matches) {
      if (m.isFile()) {
        out.add(m.getPath());
      } else {
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
        while (it.hasNext() && out.size() < limit) {
          Path p = it.next().getPath();
          if (!hidden(p, m.getPath())) {
            out.add(p);
          }
        }
      }
      if (out.size() >= limit) {
        break;
      }
    }
    out.sort(null);
    return out;
  }

  /** Whether a file, or a directory between it and {@code root}, is hidden from Spark (_ or . prefix). */
  private static boolean hidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String n = p.getName();
      if (n.startsWith("_") || n.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses a Parquet input whose files disagree about the columns (Spark would take one file's
   * schema and read the others' missing columns as nulls), naming two files that differ.
   */
  private static Dataset<Row> requireOneSchema(SparkSession spark, String input, Dataset<Row> table) throws IOException {
    Path path = new Path(input);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    FileStatus[] matches = fs.globStatus(path);
    if (matches == null || (matches.length == 1 && matches[0].isFile())) {
      return table;
    }
    org.apache.spark.sql.types.StructType merged;
    try {
      merged = spark.read().option("mergeSchema", "true").parquet(input).schema();
    } catch (Exception conflicting) { // Incompatible types of one column.
      merged = null;
    }
    if (merged != null && merged.length() == table.schema().length()) {
      return table;
    }
    List<Path> files = dataFiles(fs, matches, 1000);
    org.apache.spark.sql.types.StructType first = spark.read().parquet(files.get(0).toString()).schema();
    for (Path f : files.subList(1, files.size())) {
      org.apache.spark.sql.types.StructType other = spark.read().parquet(f.toString()).schema();
      if (!other.equals(first)) {
        throw new BadInputException("Input " + input + " mixes schemas: " + f.getName() + " has (" + columns(other)
            + "), " + files.get(0).getName() + " has (" + columns(first) + "): give files of one schema");
      }
    }
    throw new BadInputException("Input " + input + " mixes schemas (its files disagree about the columns):"
        + " give files of one schema");
  }

  private static String columns(org.apache.spark.sql.types.StructType schema) {
    List<String> parts = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : schema.fields()) {
      parts.add(f.name() + " " + f.dataType().simpleString());
    }
    return String.join(", ", parts);
  }

  private static void requireReadable(SparkSession spark, String input) {
    Path path = new Path(input);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new BadInputException("Input path " + input + " does not exist");
      }
      for (FileStatus s : matches) {
        try {
          if (s.isFile()) {
            fs.open(s.getPath()).close();
          } else {
            fs.listStatus(s.getPath());
          }
        } catch (IOException e) {
          if (AccessErrors.denied(e)) {
            throw new BadInputException("Input path " + input + " cannot be read: permission denied"
                + (s.getPath().toUri().getPath().equals(path.toUri().getPath()) ? "" : " on " + s.getPath()), e);
          }
          throw e;
        }
      }
      if (dataFiles(fs, matches, 1).isEmpty()) {
        throw new BadInputException((matches.length == 1 && matches[0].isDirectory() ? "Input directory " : "Input ")
            + input + " has no data files");
      }
    } catch (AccessControlException e) {
      throw new BadInputException("Input path " + input + " cannot be read: permission denied", e);
    } catch (FileNotFoundException e) {
      throw new BadInputException("Input path " + input + " does not exist", e);
    } catch (IOException e) {
      throw new BadInputException("Input path " + input + " cannot be read: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Validates the configured feature and weight columns, packs valid rows into cached blocks and
   * counts them, in one pass over the data.
   *
   * @param start {@code c}'s {@code --init-model} as read (its category labels and supports check the
   *     rows), or null
   * @throws BadInputException for missing or non-numeric columns, invalid values under
   *     {@code --invalid-rows error}, or an input without valid rows
   */
  public static TrainingData load(SparkSession spark, FitConfig c, Mixture start) {
    Dataset<Row> table = read(spark, c.input(), c.format());
    Map<String, List<String>> categories = new java.util.TreeMap<>();
    if (start != null) {
      categories.putAll(start.categories());
    } else if (c.distributions() != null) {
      for (int j = 0; j < c.distributions().features().size(); j++) {
        String name = c.distributions().features().get(j);
        if (c.distributions().family(j) == UnivariateFamily.CATEGORICAL && List.of(table.columns()).contains(name)
            && table.schema().apply(name).dataType() instanceof StringType) {
          categories.put(name, distinctCategories(table, name, c.input()));
        }
      }
    }
    int dimension = c.featuresCol() == null ? 0 : vectorLength(table, c.featuresCol(), c.input());
    FeatureSchema schema = schema(table, c.input(), c.features(), c.featuresCol(), c.weightCol(), c.labelCol(),
        dimension, categories.keySet()).withCategories(categories);
    List<String> labels = c.labelCol() == null ? List.of() : distinctLabels(table, c);
    Support support = c.distributions();
    if (support == null && start != null) {
      support = supportOf(start);
    }
    Batching batching = Batching.NONE;
    if (c.online() != null) {
      // A fraction needs no count; a number of rows does (Parquet answers from its footers).
      long rows = c.online().batchSize() < 1 ? 0 : table.count();
      batching = new Batching(c.online().batches(rows), Math.max(1, spark.sparkContext().defaultParallelism()),
          c.seed());
    }
    return pack(table, c.input(), schema, labels, c.invalidRows(), c.missing(), c.partitions(), c.blockRows(),
        support, c.storage(), batching);
  }

  /**
   * Packs the valid rows of a table into cached blocks and counts them, in one pass over the data.
   *
   * @param source what the table is, for messages (a path, or "the DataFrame")
   * @param labels the distinct labels in component order (empty without a label column)
   * @param partitions repartition into this many partitions first; 0 keeps the table's
   * @param support what each feature's values may be (a general mixture's families), or null
   * @param missing whether null and NaN features are missing values
   * @throws BadInputException for invalid values under {@code --invalid-rows error}, or a table
   *     without valid rows or with zero total weight
   */
  public static TrainingData pack(Dataset<Row> table, String source, FeatureSchema schema, List<String> labels,
      InvalidRows invalidRows, MissingValues missing, int partitions, int blockRows, Support support) {
    return pack(table, source, schema, labels, invalidRows, missing, partitions, blockRows, support, Storage.MEMORY_AND_DISK,
        Batching.NONE);
  }

  /**
   * How the rows are split into stepwise EM's batches.
   *
   * @param batches how many (1: not split)
   * @param perBatch partitions per batch (the tasks of one step)
   * @param seed the row hash's seed
   */
  public record Batching(int batches, int perBatch, long seed) implements java.io.Serializable {
    /** Not split. */
    public static final Batching NONE = new Batching(1, 1, 0L);

    public Batching {
      if (batches < 1 || perBatch < 1) {
        throw new IllegalArgumentException("batches and partitions per batch must be >= 1");
      }
    }
  }

  /**
   * {@link #pack(Dataset, String, FeatureSchema, List, InvalidRows, MissingValues, int, int, Support)}
   * with the blocks kept at {@code storage} and, for stepwise EM, split into batches: the rows are
   * shuffled once so that batch b's blocks are partitions {@code b * perBatch ..}.
   */
  public static TrainingData pack(Dataset<Row> table, String source, FeatureSchema schema, List<String> labels,
      InvalidRows invalidRows, MissingValues missing, int partitions, int blockRows, Support support, Storage storage,
      Batching batching) {
    Dataset<Row> projected = schema.project(table);
    JavaRDD<Row> rows = partitions > 0 ? projected.javaRDD().repartition(partitions) : projected.javaRDD();
    RowReader reader = new RowReader(schema, labels, 0, support, missing == MissingValues.MARGINALIZE);
    if (batching.batches() > 1) {
      rows = rows.mapPartitionsToPair(new BatchKeys(reader, batching.batches(), batching.perBatch(), batching.seed()))
          .partitionBy(new BatchPartitioner(batching.batches(), batching.perBatch())).values();
    }
    int d = schema.dimension();
    JavaRDD<DataBlock> blocks = rows.mapPartitions(new BlockPacker(reader, blockRows));
    if (storage != Storage.NONE) {
      blocks = blocks.persist(storage.level());
    }
    double[] totals;
    MissingCounts holes;
    try {
      scala.Tuple2<double[], MissingCounts> both = blocks
          .map(b -> new scala.Tuple2<>(new double[] {b.rows().rows(), b.invalid(), b.rows().totalWeight(), labelled(b)},
              MissingCounts.of(b, d)))
          .fold(new scala.Tuple2<>(new double[4], MissingCounts.none(d)), (a, b) -> new scala.Tuple2<>(
              new double[] {a._1()[0] + b._1()[0], a._1()[1] + b._1()[1], a._1()[2] + b._1()[2], a._1()[3] + b._1()[3]},
              a._2().plus(b._2())));
      totals = both._1();
      holes = both._2();
    } catch (Exception e) { // A failed read surfaces as SparkException, checked in Java's eyes.
      blocks.unpersist(false);
      if (e instanceof SparkException || e.getCause() instanceof SparkException) {
        throw new BadInputException("Cannot read " + source + ": " + rootCause(e), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    long valid = (long) totals[0];
    long invalid = (long) totals[1];
    if (invalid > 0 && invalidRows == InvalidRows.ERROR) {
      blocks.unpersist(false);
      throw invalidRowsError(source, invalid, projected, reader);
    }
    if (valid == 0) {
      blocks.unpersist(false);
      if (holes.allMissingRows() > 0) {
        throw new BadInputException("Input " + source + " has no row with an observed feature: " + holes.allMissingRows()
            + " rows miss every feature" + (invalid > 0 ? " and " + invalid + " rows are invalid" : ""));
      }
      throw new BadInputException(invalid == 0 ? "Input " + source + " has no rows"
          : "Input " + source + " has no valid rows: all " + invalid + " rows have " + invalidKinds(reader));
    }
    if (!(totals[2] > 0.0)) {
      blocks.unpersist(false);
      throw new BadInputException("Every row of " + source + " has weight 0 in '" + schema.weightColumn() + "'");
    }
    return new TrainingData(table, blocks, schema, valid, invalid, totals[2], labels, (long) totals[3], holes, storage,
        batching);
  }

  /** What a model's inputs are checked against: nothing beyond finiteness for a Gaussian mixture. */
  public static Support supportOf(Mixture model) {
    return model.asGaussian().isPresent() ? null : model;
  }

  /** The error for {@code invalid} bad rows of {@code table}, naming the first (found by one more pass). */
  public static BadInputException invalidRowsError(String source, long invalid, Dataset<Row> table,
      FeatureSchema schema, Support support) {
    return invalidRowsError(source, invalid, schema.project(table), new RowReader(schema, List.of(), 0, support));
  }

  private static BadInputException invalidRowsError(String source, long invalid, Dataset<Row> projected, RowReader reader) {
    return new BadInputException(invalid + " row" + (invalid == 1 ? "" : "s") + " of " + source
        + " have " + invalidKinds(reader) + "; the first is " + firstInvalid(projected, reader)
        + ": clean the data or pass --invalid-rows skip"
        + (reader.marginalizes() ? "" : " (or --missing marginalize if null and NaN mean a missing value)"));
  }

  private static String invalidKinds(RowReader reader) {
    if (reader.marginalizes()) {
      return reader.checksSupport() ? "infinite or out-of-support values" : "infinite values";
    }
    return reader.checksSupport() ? "null, NaN, infinite or out-of-support values" : "null, NaN or infinite values";
  }

  private static double labelled(DataBlock b) {
    int count = 0;
    for (int i = 0; i < b.rows().rows(); i++) {
      count += b.rows().label(i) >= 0 ? 1 : 0;
    }
    return count;
  }

  /**
   * Checks the requested columns against a table's schema (see {@link FeatureSchema#of}); a vector
   * column's length is read from its first row.
   *
   * @throws BadInputException for missing or non-numeric columns, or a header-only CSV
   */
  public static FeatureSchema schema(Dataset<Row> table, String source, List<String> features, String featuresCol,
      String weightCol, String labelCol) {
    int dimension = featuresCol == null ? 0 : vectorLength(table, featuresCol, source);
    return schema(table, source, features, featuresCol, weightCol, labelCol, dimension, java.util.Set.of());
  }

  private static FeatureSchema schema(Dataset<Row> table, String source, List<String> features, String featuresCol,
      String weightCol, String labelCol, int dimension, java.util.Set<String> strings) {
    NonNumericColumns.requireNumbers(table, source, features, strings, strings.isEmpty() ? "--features"
        : "--distributions");
    try {
      return FeatureSchema.of(table.schema(), source, features, featuresCol, weightCol, labelCol, dimension, strings);
    } catch (BadInputException e) {
      // A header-only CSV has string columns: the real problem is that it has no rows.
      if (table.isEmpty()) {
        throw new BadInputException("Input " + source + " has no rows", e);
      }
      throw e;
    }
  }

  /**
   * The columns holding a fitted model's features in a new table: {@code featuresCol} when given;
   * else the model's feature columns by name; else, for a model fitted on a vector column (features
   * named {@code v[0]}, {@code v[1]}, ...), that column.
   *
   * @throws BadInputException when the table lacks the model's features or their count differs
   */
  public static FeatureSchema modelSchema(Dataset<Row> table, String source, Mixture model, String featuresCol,
      String weightCol) {
    List<String> modelFeatures = model.features();
    List<String> columns = List.of(table.columns());
    String vector = featuresCol;
    if (vector == null && !columns.containsAll(modelFeatures)) {
      vector = vectorColumnOf(modelFeatures);
      if (vector == null || !columns.contains(vector)) {
        List<String> missing = new ArrayList<>(modelFeatures);
        missing.removeAll(columns);
        throw new BadInputException("Input " + source + " lacks the model's feature column"
            + (missing.size() == 1 ? " '" + missing.get(0) + "'" : "s " + missing) + " (the model's features are "
            + modelFeatures + "; the input's columns are " + columns
            + "): pass --features-col COL if the features are in one vector column");
      }
    }
    FeatureSchema schema = vector == null
        ? schema(table, source, modelFeatures, null, weightCol, null, 0, model.categories().keySet())
            .withCategories(model.categories())
        : schema(table, source, List.of(), vector, weightCol, null);
    if (schema.dimension() != modelFeatures.size()) {
      throw new BadInputException("Column '" + vector + "' of " + source + " has " + schema.dimension()
          + " values per row, the model has " + modelFeatures.size() + " features");
    }
    return schema;
  }

  /** {@code v} when the names are exactly {@code v[0], v[1], ...}, else null. */
  private static String vectorColumnOf(List<String> names) {
    String first = names.get(0);
    if (!first.endsWith("[0]")) {
      return null;
    }
    String base = first.substring(0, first.length() - 3);
    for (int j = 0; j < names.size(); j++) {
      if (!names.get(j).equals(base + "[" + j + "]")) {
        return null;
      }
    }
    return base;
  }

  /** At most this many categories in a string column read as a categorical feature. */
  static final int MAX_CATEGORIES = 10_000;

  /** The distinct non-null values of a string column, sorted: the labels of codes 0, 1, ... */
  private static List<String> distinctCategories(Dataset<Row> table, String name, String source) {
    Column c = FeatureSchema.quoted(name);
    List<Row> found = table.select(c).where(c.isNotNull()).distinct().orderBy(c).limit(MAX_CATEGORIES + 1)
        .collectAsList();
    if (found.size() > MAX_CATEGORIES) {
      throw new BadInputException("Column '" + name + "' of " + source + " has more than " + MAX_CATEGORIES
          + " distinct values: too many categories for a categorical feature");
    }
    if (found.isEmpty()) {
      throw new BadInputException("Column '" + name + "' of " + source + " has no value: every row is null");
    }
    List<String> labels = new ArrayList<>();
    for (Row r : found) {
      labels.add(r.getString(0));
    }
    return List.copyOf(labels);
  }

  /** At most this many distinct labels: each becomes a component. */
  static final int MAX_LABELS = 1000;

  /**
   * The distinct labels of {@code --label-col} (null, and NaN in a floating-point column, mean
   * unlabelled), in the column's natural order, as text.
   */
  private static List<String> distinctLabels(Dataset<Row> table, FitConfig c) {
    Column label = col("`" + c.labelCol().replace("`", "``") + "`");
    // A floating-point label column marks unlabelled rows with NaN as often as with null (pandas).
    boolean floating = table.schema().apply(c.labelCol()).dataType() instanceof FractionalType;
    Column known = floating ? label.isNotNull().and(functions.not(functions.isnan(label))) : label.isNotNull();
    List<Row> found = table.select(label).where(known).distinct().orderBy(label)
        .limit(MAX_LABELS + 1).collectAsList();
    if (found.isEmpty()) {
      throw new BadInputException("--label-col " + c.labelCol() + " of " + c.input() + " has no labelled row:"
          + " every value is null");
    }
    if (found.size() > MAX_LABELS) {
      throw new BadInputException("--label-col " + c.labelCol() + " of " + c.input() + " has more than " + MAX_LABELS
          + " distinct labels: each label is one component; is it the right column?");
    }
    List<String> labels = new ArrayList<>();
    for (Row r : found) {
      labels.add(String.valueOf(r.get(0)));
    }
    return List.copyOf(labels);
  }

  /** Length of the first non-null vector/array in a column (0 when there is none or no such column). */
  private static int vectorLength(Dataset<Row> table, String column, String source) {
    if (!List.of(table.columns()).contains(column)) {
      return 0;
    }
    Dataset<Row> probe = FeatureSchema.of(table.schema(), source, List.of(), column, null, null, 0).project(table);
    List<Row> first = probe.where(col(probe.columns()[0]).isNotNull()).select(size(col(probe.columns()[0])))
        .limit(1).collectAsList();
    return first.isEmpty() ? 0 : first.get(0).getInt(0);
  }

  /** "row N (1-based, in input order): reason", found by one extra pass only on this failure path. */
  private static String firstInvalid(Dataset<Row> projected, RowReader reader) {
    List<Tuple2<Long, String>> perPartition = projected.javaRDD()
        .mapPartitionsWithIndex((Integer index, Iterator<Row> it) -> {
          double[] buffer = new double[reader.dimension()];
          long seen = 0;
          String found = null;
          while (it.hasNext()) {
            Row r = it.next();
            if (found == null) {
              String why = reader.read(r, buffer);
              if (why != null && why != RowReader.ALL_MISSING) {
                found = seen + "\t" + why;
              }
            }
            seen++;
          }
          List<Tuple2<Long, String>> out = new ArrayList<>();
          out.add(new Tuple2<>(seen, found));
          return out.iterator();
        }, true)
        .collect();
    long offset = 0;
    for (Tuple2<Long, String> p : perPartition) {
      if (p._2() != null) {
        int tab = p._2().indexOf('\t');
        long local = Long.parseLong(p._2().substring(0, tab));
        return "row " + (offset + local + 1) + " (" + p._2().substring(tab + 1) + ")";
      }
      offset += p._1();
    }
    return "a row that changed while being read";
  }

  /** The first line of the message of the innermost cause: what Spark's wrapped failures are really about. */
  public static String rootCause(Throwable e) {
    return firstLine(rootMessage(e));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = root(e);
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The innermost cause of {@code e}. */
  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
