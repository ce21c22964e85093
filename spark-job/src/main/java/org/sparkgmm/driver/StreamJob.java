package org.sparkgmm.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkgmm.config.InputFormat;
import org.sparkgmm.config.UpdateConfig;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.io.ModelStore;
import org.sparkgmm.io.OutputDirectory;
import org.sparkgmm.model.Mixture;

/**
 * {@code gmm stream}: a Structured Streaming query over a directory that updates the model with
 * every micro-batch of new files ({@code maxFilesPerTrigger} files each, one by default), as
 * {@code gmm update} would, and writes each model version atomically to
 * {@code OUT/versions/NNNNNNNNNNNN/} (a complete output directory: model, metrics, {@code _SUCCESS})
 * with {@code OUT/LATEST} naming the newest. Restarts resume from the checkpoint: Spark replays a
 * micro-batch whose offsets it had not committed, and a batch whose version is already complete is
 * not applied again, so no batch is counted twice or lost.
 */
public final class StreamJob {
  /** Where the versions go inside the output directory. */
  public static final String VERSIONS = "versions";

  private StreamJob() {}

  /**
   * How the query runs.
   *
   * @param checkpoint the query's checkpoint directory
   * @param filesPerBatch new files per micro-batch
   * @param availableNow process the files there now, then stop (else run until stopped)
   * @param maxBatches stop after this many micro-batches applied in this run (0: no limit)
   * @param intervalSeconds seconds between micro-batches
   */
  public record Settings(String checkpoint, int filesPerBatch, boolean availableNow, int maxBatches,
      double intervalSeconds) {}

  /** Runs the query until it stops (see {@link Settings}). */
  public static void run(SparkSession spark, UpdateConfig c, Settings s, PrintWriter progress) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Mixture initial = ModelStore.read(c.model(), hadoop);
    double initialRows = UpdateJob.modelRows(c, hadoop);
    Path out = new Path(c.output());
    FileSystem fs = out.getFileSystem(hadoop);
    if (!fs.exists(new Path(c.input()))) {
      throw new BadInputException("Input directory " + c.input() + " does not exist");
    }
    StructType schema = schema(initial, c);
    writeLatest(fs, out);
    DataStreamReader reader = spark.readStream().schema(schema).option("maxFilesPerTrigger", s.filesPerBatch());
    Dataset<Row> rows = c.format() == InputFormat.CSV
        ? reader.option("header", "true").option("enforceSchema", "false").csv(c.input())
        : reader.parquet(c.input());
    int[] applied = {0};
    long[] lastApplied = {-1};
    VoidFunction2<Dataset<Row>, Long> batch = (df, id) -> {
      if (apply(spark, c, initial, initialRows, fs, out, df, id, progress)) {
        applied[0]++;
        lastApplied[0] = id;
      }
    };
    Trigger trigger = s.availableNow() ? Trigger.AvailableNow()
        : Trigger.ProcessingTime((long) (s.intervalSeconds() * 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
    try {
      StreamingQuery query = rows.writeStream().option("checkpointLocation", s.checkpoint()).trigger(trigger)
          .foreachBatch(batch).start();
      progress.printf(Locale.ROOT, "stream: watching %s (%d file%s per batch), versions in %s/%s, checkpoint %s%n",
          c.input(), s.filesPerBatch(), s.filesPerBatch() == 1 ? "" : "s", out, VERSIONS, s.checkpoint());
      while (!query.awaitTermination(200)) {
        // --max-batches: stop between batches, once the last one applied is committed to the checkpoint.
        if (s.maxBatches() > 0 && applied[0] >= s.maxBatches()) {
          var last = query.lastProgress();
          if (last != null && last.batchId() >= lastApplied[0] && !query.status().isTriggerActive()) {
            query.stop();
          }
        }
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("The streaming query did not start: " + e.getMessage(), e);
    } catch (StreamingQueryException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof BadInputException b) {
        throw b;
      }
      throw new IllegalStateException("The streaming query failed: " + cause.getMessage(), cause);
    }
    progress.printf(Locale.ROOT, "stream: stopped after %d update%s in this run%n", applied[0],
        applied[0] == 1 ? "" : "s");
  }

  /**
   * Applies micro-batch {@code id}: skipped when its version is already complete (a replay) or it
   * holds no rows; else the newest complete version before it (or the initial model) updated by its
   * rows, written as version {@code id}.
   *
   * @return whether a version was written
   */
  static boolean apply(SparkSession spark, UpdateConfig c, Mixture initial, double initialRows, FileSystem fs,
      Path out, Dataset<Row> rows, long id, PrintWriter progress) throws IOException {
    Path version = new Path(new Path(out, VERSIONS), name(id));
    if (fs.exists(new Path(version, OutputDirectory.SUCCESS))) {
      progress.printf(Locale.ROOT, "stream: batch %d was applied before (version %s): skipped%n", id, name(id));
      return false;
    }
    if (rows.isEmpty()) {
      return false;
    }
    Path previous = latestBefore(fs, out, id);
    Mixture model = previous == null ? initial : ModelStore.read(previous.toString(), fs.getConf());
    double modelRows = previous == null ? initialRows : ModelStore.effectiveRows(previous.toString(), fs.getConf());
    String name = previous == null ? c.model() : previous.toString();
    try (OutputDirectory dir = OutputDirectory.prepare(version.toString(), true, fs.getConf())) {
      UpdateJob.Updated u = UpdateJob.apply(spark, c, model, modelRows, rows, "micro-batch " + id, name, dir, progress,
          "stream batch " + id);
      dir.commit();
      writeLatest(fs, out);
      progress.printf(Locale.ROOT, "stream: batch %d: %d rows, version %s, new rows' mean log-likelihood %.8f,"
          + " effective rows %.6g%n", id, u.fit().rows(), name(id), u.fit().meanLogLikelihood(), u.effectiveRows());
    }
    return true;
  }

  /**
   * Points {@code OUT/LATEST} at the newest complete version: written beside it, then renamed over it,
   * so a reader never sees a half-written name. Also run at start, which repairs a pointer left
   * behind by a driver killed between committing a version and naming it.
   */
  static void writeLatest(FileSystem fs, Path out) throws IOException {
    Path newest = latestBefore(fs, out, Long.MAX_VALUE);
    if (newest == null) {
      return;
    }
    Path latest = new Path(out, "LATEST");
    Path next = new Path(out, ".LATEST.next");
    try (var w = fs.create(next, true)) {
      w.write((newest.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    fs.delete(latest, false);
    if (!fs.rename(next, latest)) {
      throw new IOException("Cannot rename " + next + " to " + latest);
    }
  }

  /** The version directory of batch {@code id}: zero-padded so that versions sort by name. */
  public static String name(long id) {
    return String.format(Locale.ROOT, "%012d", id);
  }

  /** The newest complete version before batch {@code id}, or null. */
  static Path latestBefore(FileSystem fs, Path out, long id) throws IOException {
    Path dir = new Path(out, VERSIONS);
    if (!fs.exists(dir)) {
      return null;
    }
    List<Path> done = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      String n = st.getPath().getName();
      if (st.isDirectory() && n.matches("\\d{12}") && Long.parseLong(n) < id
          && fs.exists(new Path(st.getPath(), OutputDirectory.SUCCESS))) {
        done.add(st.getPath());
      }
    }
    done.sort((a, b) -> a.getName().compareTo(b.getName()));
    return done.isEmpty() ? null : done.get(done.size() - 1);
  }

  /**
   * The model's feature columns (doubles; strings for a categorical feature fitted on string labels)
   * and the weight column: the schema every new file must have.
   */
  static StructType schema(Mixture model, UpdateConfig c) {
    if (c.featuresCol() != null) {
      throw new org.sparkgmm.errors.UsageException("gmm stream reads the model's feature columns by name:"
          + " --features-col is not supported");
    }
    List<StructField> fields = new ArrayList<>();
    for (String f : model.features()) {
      // A categorical feature fitted on string labels is read as strings, and mapped by the model's labels.
      fields.add(DataTypes.createStructField(f, model.categories().containsKey(f) ? DataTypes.StringType
          : DataTypes.DoubleType, true));
    }
    if (c.weightCol() != null) {
      fields.add(DataTypes.createStructField(c.weightCol(), DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(fields);
  }
}
