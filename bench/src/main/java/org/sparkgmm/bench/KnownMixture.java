package org.sparkgmm.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.MixtureSampler;

/**
 * The benchmark's data: a mixture with known parameters and a table of n rows drawn from it, row i
 * depending only on (seed, i), so every run and every contender sees the same rows.
 *
 * <p>Means are drawn around the origin with spread {@code 3 * scale}; each covariance is
 * {@code scale^2 (B B^T / d + I / 2)} for a random Gaussian {@code B} (full), or its diagonal
 * analogue. With {@code scale = 0.1} every density stays far above Spark MLlib's 2.2e-16 floor at
 * d = 32, which MLlib needs to run at all (on unit-variance data it collapses to one component).
 */
final class KnownMixture {
  static final String FEATURES = "features";

  private KnownMixture() {}

  /** The known mixture: equal weights, k components in d dimensions of the given covariance type. */
  static Mixture model(int k, int d, CovarianceType type, double scale, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] means = new double[k][d];
    for (double[] m : means) {
      for (int j = 0; j < d; j++) {
        m[j] = 3.0 * scale * random.nextGaussian();
      }
    }
    int blocks = type == CovarianceType.TIED ? 1 : k;
    double[] cov = new double[Gaussians.covarianceLength(type, k, d)];
    for (int c = 0; c < blocks; c++) {
      switch (type) {
        case FULL, TIED -> {
          double[] b = new double[d * d];
          for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
          }
          for (int col = 0; col < d; col++) {
            for (int row = 0; row < d; row++) {
              double s = 0.0;
              for (int t = 0; t < d; t++) {
                s += b[t * d + row] * b[t * d + col];
              }
              cov[c * d * d + col * d + row] = scale * scale * (s / d + (row == col ? 0.5 : 0.0));
            }
          }
        }
        case DIAG -> {
          for (int j = 0; j < d; j++) {
            cov[c * d + j] = scale * scale * (0.5 + random.nextDouble());
          }
        }
        case SPHERICAL -> cov[c] = scale * scale * (0.5 + random.nextDouble());
        default -> throw new IllegalStateException("Unhandled covariance type " + type);
      }
    }
    double[] weights = new double[k];
    java.util.Arrays.fill(weights, 1.0 / k);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add(FEATURES + "[" + j + "]");
    }
    return Mixture.gaussian(weights, Gaussians.of(type, means, cov), names);
  }

  /** n rows of {@code model} in one Spark ML vector column, generated on the executors, not cached. */
  static Dataset<Row> table(SparkSession spark, Mixture model, long n, int partitions, long seed) {
    return table(spark, model, n, partitions, seed, 0.0);
  }

  /**
   * The same rows with a fraction {@code missing} of the cells missing (NaN), completely at random
   * and depending only on (seed, row): one feature per row, drawn at random, is always observed (a row
   * never misses every feature), each other one is missing with probability
   * {@code missing * d / (d - 1)}.
   */
  static Dataset<Row> table(SparkSession spark, Mixture model, long n, int partitions, long seed, double missing) {
    StructType schema = DataTypes.createStructType(
        new StructField[] {DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), false)});
    MapPartitionsFunction<Long, Row> draw = ids -> {
      MixtureSampler sampler = MixtureSampler.of(model);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          double[] x = new double[model.dimension()];
          long id = ids.next();
          sampler.draw(seed, id, x);
          if (missing > 0.0) {
            SplittableRandom holes = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
            int keep = holes.nextInt(x.length);
            double p = missing * x.length / (x.length - 1);
            for (int j = 0; j < x.length; j++) {
              if (j != keep && holes.nextDouble() < p) {
                x[j] = Double.NaN;
              }
            }
          }
          return RowFactory.create(Vectors.dense(x));
        }
      };
    };
    return spark.range(0, n, 1, partitions).mapPartitions(draw, Encoders.row(schema));
  }
}
