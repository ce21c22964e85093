package org.sparkgmm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark MLlib's {@code ml.clustering.GaussianMixture} on the same table, timed per iteration.
 *
 * <p>MLlib runs one Spark job per EM iteration (its statistics are collected after a
 * {@code reduceByKey}); a listener times every job whose stages were created in
 * {@code GaussianMixture.scala} by a {@code collect}, which is exactly those. The count of such jobs
 * and MLlib's own {@code summary.numIter} must both equal the iterations asked for: with
 * {@code tol = 0} MLlib only stops early when its likelihood stops changing, which is the collapse
 * its 2.2e-16 density floor causes.
 */
final class MllibRun {
  /** Seconds of each iteration job, in order, what MLlib reports, and the fitted model. */
  record Result(List<Double> iterationSeconds, int numIter, double logLikelihood, GaussianMixtureModel model) {}

  private MllibRun() {}

  static Result fit(SparkSession spark, Dataset<Row> table, int k, int iterations, long seed) {
    IterationJobs jobs = new IterationJobs();
    spark.sparkContext().addSparkListener(jobs);
    try {
      GaussianMixtureModel model = new GaussianMixture().setK(k).setMaxIter(iterations).setTol(0.0).setSeed(seed)
          .setFeaturesCol(KnownMixture.FEATURES).fit(table);
      waitForListener(jobs, model.summary().numIter());
      return new Result(jobs.seconds(), model.summary().numIter(), model.summary().logLikelihood(), model);
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
  }

  /** Listener events arrive on another thread; give the last job-end a moment to land. */
  private static void waitForListener(IterationJobs jobs, int expected) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (jobs.seconds().size() < expected && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final class IterationJobs extends SparkListener {
    private final Map<Integer, Long> started = new ConcurrentHashMap<>();
    private final List<Double> seconds = new ArrayList<>();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      for (StageInfo s : CollectionConverters.asJava(start.stageInfos())) {
        if (s.name().startsWith("collect at GaussianMixture.scala")) {
          started.put(start.jobId(), start.time());
        }
      }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
      Long t = started.remove(end.jobId());
      if (t != null) {
        synchronized (seconds) {
          seconds.add((end.time() - t) / 1000.0);
        }
      }
    }

    List<Double> seconds() {
      synchronized (seconds) {
        return List.copyOf(seconds);
      }
    }
  }
}
