package org.sparkgmm.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.Posteriors;

/**
 * A model applied to a table, row by row but a block at a time: the kept columns, then
 * {@code prediction} (int, the most probable component), {@code probability} (the posterior
 * P(component | row), an array of doubles or an ML vector), optionally {@code log_likelihood}
 * (log p(row)) and {@code log_probability} (the log posteriors), and with imputation
 * {@code imputed_<feature>} for every model feature (its value, or for a missing one its
 * conditional expectation given the row's observed features) and {@code imputed_count} (how many
 * of the row's features were imputed). Lazy: nothing runs until the
 * result is written or collected. The layout is the public predictions format (see the README).
 */
public final class Predictions {
  /** What happens to a row whose features are null, NaN or infinite. */
  public enum InvalidRowPolicy {
    /** Leave it out of the output. */
    DROP,
    /** Keep it, with null in every prediction column. */
    NULLS
  }

  /**
   * Output column names; a null name leaves that column out.
   *
   * @param vectorProbability write {@code probability} (and {@code log_probability}) as Spark ML
   *     vectors instead of arrays
   * @param imputed also write {@code imputed_<feature>} per model feature and {@code imputed_count}
   */
  public record Columns(String prediction, String probability, String logLikelihood, String logProbability,
      boolean vectorProbability, boolean imputed) implements Serializable {
    /** The prefix of the imputed feature columns. */
    public static final String IMPUTED_PREFIX = "imputed_";
    /** The column counting a row's imputed features. */
    public static final String IMPUTED_COUNT = "imputed_count";

    /** Columns without imputation. */
    public Columns(String prediction, String probability, String logLikelihood, String logProbability,
        boolean vectorProbability) {
      this(prediction, probability, logLikelihood, logProbability, vectorProbability, false);
    }

    /**
     * The command line's: prediction, probability, log_likelihood and, if asked, log_probability, as
     * arrays, and the imputed features.
     */
    public static Columns cli(boolean logProbability, boolean imputed) {
      return new Columns("prediction", "probability", "log_likelihood", logProbability ? "log_probability" : null,
          false, imputed);
    }

    /** The output columns for a model with these features. */
    List<String> names(List<String> features) {
      List<String> names = new ArrayList<>();
      for (String n : new String[] {prediction, probability, logLikelihood, logProbability}) {
        if (n != null) {
          names.add(n);
        }
      }
      if (imputed) {
        for (String f : features) {
          names.add(IMPUTED_PREFIX + f);
        }
        names.add(IMPUTED_COUNT);
      }
      return names;
    }
  }

  /**
   * Rows evaluated, invalid rows met, the sum of log p(row) over the evaluated ones, and under
   * {@code --missing marginalize} the rows missing every feature (not evaluated), the evaluated rows
   * missing some feature and the missing cells of those (Spark accumulators).
   */
  public record Counters(PartitionTotals totals) implements Serializable {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int LOG_LIKELIHOOD = 2;
    static final int ALL_MISSING = 3;
    static final int INCOMPLETE = 4;
    static final int MISSING_CELLS = 5;

    /** Fresh counters registered with the session. */
    public static Counters register(SparkSession spark) {
      PartitionTotals t = new PartitionTotals(6);
      spark.sparkContext().register(t, "gmm prediction counts");
      return new Counters(t);
    }

    public long valid() {
      return (long) totals.value()[VALID];
    }

    public long invalid() {
      return (long) totals.value()[INVALID];
    }

    public double logLikelihood() {
      return totals.value()[LOG_LIKELIHOOD];
    }

    public long allMissing() {
      return (long) totals.value()[ALL_MISSING];
    }

    public long incomplete() {
      return (long) totals.value()[INCOMPLETE];
    }

    public long missingCells() {
      return (long) totals.value()[MISSING_CELLS];
    }
  }

  private Predictions() {}

  /**
   * The table's {@code keep} columns followed by the prediction columns.
   *
   * @param schema where the model's features are in {@code table} (see {@link InputReader#modelSchema})
   * @param missing null and NaN features are missing values (the row is evaluated on the others);
   *     a row missing every feature is handled as {@code policy} says for invalid rows
   * @param counters where to count rows and log-likelihood, or null
   * @throws BadInputException when a kept column is missing or its name is an output column's
   */
  public static Dataset<Row> apply(Dataset<Row> table, String source, List<String> keep, FeatureSchema schema,
      Broadcast<Mixture> model, Columns columns, InvalidRowPolicy policy, boolean missing, int blockRows,
      Counters counters) {
    List<String> outputs = columns.names(model.value().features());
    List<String> available = List.of(table.columns());
    List<Column> selected = new ArrayList<>();
    List<StructField> fields = new ArrayList<>();
    for (String name : keep) {
      if (!available.contains(name)) {
        throw new BadInputException("Column '" + name + "' (--keep-cols) is not in " + source
            + "; its columns are: " + available);
      }
      if (outputs.contains(name)) {
        throw new BadInputException("Column '" + name + "' (--keep-cols) of " + source
            + " has the name of an output column (" + String.join(", ", outputs) + "): rename it first");
      }
      selected.add(FeatureSchema.quoted(name));
      fields.add(table.schema().apply(name));
    }
    List<Column> features = schema.columns(table);
    for (int j = 0; j < features.size(); j++) {
      selected.add(features.get(j).as("__gmm_feature_" + j));
    }
    int k = model.value().components();
    var probabilityType = columns.vectorProbability() ? SQLDataTypes.VectorType()
        : DataTypes.createArrayType(DataTypes.DoubleType, false);
    if (columns.prediction() != null) {
      fields.add(DataTypes.createStructField(columns.prediction(), DataTypes.IntegerType, true));
    }
    if (columns.probability() != null) {
      fields.add(DataTypes.createStructField(columns.probability(), probabilityType, true));
    }
    if (columns.logLikelihood() != null) {
      fields.add(DataTypes.createStructField(columns.logLikelihood(), DataTypes.DoubleType, true));
    }
    if (columns.logProbability() != null) {
      fields.add(DataTypes.createStructField(columns.logProbability(), probabilityType, true));
    }
    if (columns.imputed()) {
      Map<String, List<String>> categories = model.value().categories();
      for (String f : model.value().features()) {
        fields.add(DataTypes.createStructField(Columns.IMPUTED_PREFIX + f,
            categories.containsKey(f) ? DataTypes.StringType : DataTypes.DoubleType, true));
      }
      fields.add(DataTypes.createStructField(Columns.IMPUTED_COUNT, DataTypes.IntegerType, true));
    }
    StructType out = DataTypes.createStructType(fields);
    RowReader reader = new RowReader(schema, List.of(), keep.size(), InputReader.supportOf(model.value()), missing);
    Mapper mapper = new Mapper(model, reader, keep.size(), k, columns, policy, blockRows, counters);
    return table.select(selected.toArray(new Column[0])).mapPartitions(mapper, Encoders.row(out));
  }

  private static final class Mapper implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<Mixture> model;
    private final RowReader reader;
    private final int keep;
    private final int k;
    private final Columns columns;
    private final InvalidRowPolicy policy;
    private final int blockRows;
    private final Counters counters;

    Mapper(Broadcast<Mixture> model, RowReader reader, int keep, int k, Columns columns,
        InvalidRowPolicy policy, int blockRows, Counters counters) {
      this.model = model;
      this.reader = reader;
      this.keep = keep;
      this.k = k;
      this.columns = columns;
      this.policy = policy;
      this.blockRows = org.sparkgmm.data.RowBlock.rowsPerBlock(blockRows, reader.dimension());
      this.counters = counters;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      return new BlockIterator(input);
    }

    /** Reads up to blockRows input rows, evaluates the valid ones as one block, hands out the results. */
    private final class BlockIterator implements Iterator<Row> {
      private final Iterator<Row> input;
      private final Posteriors posteriors = Posteriors.of(model.value());
      private final int d = reader.dimension();
      private final double[] row = new double[d];
      private final Row[] rows = new Row[blockRows];
      private final boolean[] valid = new boolean[blockRows];
      private final int[] blockIndex = new int[blockRows];
      private final double[] values = new double[blockRows * d];
      private final int width = columns.names(model.value().features()).size();
      /** Labels of string categorical features, by feature index. */
      private final Map<Integer, List<String>> categories = new java.util.HashMap<>();
      /** The evaluated rows' features with missing values imputed, column-major. */
      private double[] imputed;
      private int evaluated;
      private int count;
      private int next;

      BlockIterator(Iterator<Row> input) {
        this.input = input;
        List<String> features = model.value().features();
        model.value().categories().forEach((name, labels) -> categories.put(features.indexOf(name), labels));
      }

      @Override
      public boolean hasNext() {
        while (next >= count) {
          if (!input.hasNext()) {
            return false;
          }
          fill();
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int r = next++;
        Object[] out = new Object[keep + width];
        for (int f = 0; f < keep; f++) {
          out[f] = rows[r].get(f);
        }
        if (valid[r]) {
          int i = blockIndex[r];
          int at = keep;
          if (columns.prediction() != null) {
            out[at++] = posteriors.prediction(i);
          }
          if (columns.probability() != null) {
            double[] p = new double[k];
            for (int c = 0; c < k; c++) {
              p[c] = posteriors.posterior(i, c);
            }
            out[at++] = columns.vectorProbability() ? Vectors.dense(p) : p;
          }
          if (columns.logLikelihood() != null) {
            out[at++] = posteriors.logLikelihood(i);
          }
          if (columns.logProbability() != null) {
            double[] p = new double[k];
            for (int c = 0; c < k; c++) {
              p[c] = posteriors.logPosterior(i, c);
            }
            out[at++] = columns.vectorProbability() ? Vectors.dense(p) : p;
          }
          if (columns.imputed()) {
            int filled = 0;
            for (int j = 0; j < d; j++) {
              filled += Double.isNaN(values[j * blockRows + i]) ? 1 : 0;
              double v = imputed[j * evaluated + i];
              List<String> labels = categories.get(j);
              out[at++] = labels == null ? (Object) v : labels.get((int) v);
            }
            out[at] = filled;
          }
        }
        rows[r] = null;
        return RowFactory.create(out);
      }

      private void fill() {
        count = 0;
        next = 0;
        int n = 0;
        long invalid = 0;
        double logLikelihood = 0.0;
        long allMissing = 0;
        long incomplete = 0;
        long cells = 0;
        while (count < blockRows && input.hasNext()) {
          Row r = input.next();
          String why = reader.read(r, row);
          boolean ok = why == null;
          if (!ok) {
            if (why == RowReader.ALL_MISSING) {
              allMissing++;
            } else {
              invalid++;
            }
            if (policy == InvalidRowPolicy.DROP) {
              continue;
            }
          } else {
            int holes = 0;
            for (int j = 0; j < d; j++) {
              values[j * blockRows + n] = row[j];
              holes += Double.isNaN(row[j]) ? 1 : 0;
            }
            cells += holes;
            incomplete += holes > 0 ? 1 : 0;
            blockIndex[count] = n++;
          }
          rows[count] = r;
          valid[count] = ok;
          count++;
        }
        if (n > 0) {
          RowBlock block = RowBlock.of(n, d, BlockPacker.compact(values, n, d, blockRows), null);
          posteriors.evaluate(block);
          if (columns.imputed()) {
            imputed = model.value().impute(block, posteriors);
            evaluated = n;
          }
          double sum = 0.0;
          for (int i = 0; i < n; i++) {
            sum += posteriors.logLikelihood(i);
          }
          logLikelihood = sum;
        }
        if (counters != null) {
          counters.totals().add(new double[] {n, invalid, logLikelihood, allMissing, incomplete, cells});
        }
      }
    }
  }
}
