package org.sparkgmm.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.testing.SharedSpark;

/**
 * predict's counts are kept per partition, so a partition evaluated again (here: a second action
 * over the same predictions, as a retried stage or a speculative task would) is counted once.
 */
class PredictionCountsIT {
  @Test
  void aPartitionEvaluatedTwiceIsCountedOnce() {
    SparkSession spark = SharedSpark.session();
    Mixture model = Mixture.gaussian(new double[] {0.5, 0.5}, Gaussians.of(CovarianceType.SPHERICAL,
        new double[][] {{0, 0}, {4, 4}}, new double[] {1, 1}), List.of("a", "b"));
    SplittableRandom r = new SplittableRandom(2);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(RowFactory.create(i == 7 || i == 500 ? null : r.nextGaussian(), r.nextGaussian()));
    }
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType);
    Dataset<Row> table = spark.createDataFrame(rows, schema).repartition(4);
    Broadcast<Mixture> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
    Predictions.Counters counters = Predictions.Counters.register(spark);
    Dataset<Row> predictions = Predictions.apply(table, "t", List.of(), InputReader.modelSchema(table, "t", model,
        null, null), shared, Predictions.Columns.cli(false, false), Predictions.InvalidRowPolicy.NULLS, false, 128,
        counters);
    assertThat(predictions.count()).isEqualTo(1000);
    double first = counters.logLikelihood();
    assertThat(predictions.count()).isEqualTo(1000);
    assertThat(predictions.collectAsList()).hasSize(1000);
    assertThat(counters.valid()).isEqualTo(998);
    assertThat(counters.invalid()).isEqualTo(2);
    assertThat(counters.logLikelihood()).isCloseTo(first, within(1e-9 * Math.abs(first)));
  }
}
