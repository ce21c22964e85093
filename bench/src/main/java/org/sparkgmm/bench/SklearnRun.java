package org.sparkgmm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkgmm.data.RowBlock;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.io.DataBlock;
import org.sparkgmm.io.TrainingData;
import org.sparkgmm.model.Mixture;

/**
 * scikit-learn's GaussianMixture on the same rows, from the same start: the rows are written once
 * as raw float64 (row-major) and {@code sklearn_em.py} runs under Debian's python3-sklearn with
 * {@code OPENBLAS_NUM_THREADS} equal to the cores Spark uses.
 */
final class SklearnRun {
  /** Seconds of every iteration, what scikit-learn reports, and predict's and sample's seconds (NaN if not asked). */
  record Result(List<Double> iterationSeconds, int numIter, double lowerBound, double predictSeconds,
      double sampleSeconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private SklearnRun() {}

  /** Writes the cached rows to {@code file} unless a file of the right size is already there. */
  static void writeRows(TrainingData data, int d, Path file) throws IOException {
    long bytes = data.rows() * d * 8L;
    if (Files.isRegularFile(file) && Files.size(file) == bytes) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
      Iterator<DataBlock> blocks = data.blocks().toLocalIterator();
      while (blocks.hasNext()) {
        RowBlock b = blocks.next().rows();
        ByteBuffer buf = ByteBuffer.allocate(b.rows() * d * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < b.rows(); i++) {
          for (int j = 0; j < d; j++) {
            buf.putDouble(b.value(i, j));
          }
        }
        out.write(buf.array());
      }
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The start in scikit-learn's shapes: full (k,d,d), tied (d,d), diag (k,d), spherical (k,). */
  static Map<String, Object> start(Mixture m) {
    int k = m.components();
    int d = m.dimension();
    CovarianceType type = m.asGaussian().orElseThrow().covarianceType();
    Object covariances = switch (type) {
      case FULL -> {
        List<double[][]> all = new ArrayList<>();
        for (int c = 0; c < k; c++) {
          all.add(m.asGaussian().orElseThrow().covarianceMatrix(c));
        }
        yield all;
      }
      case TIED -> m.asGaussian().orElseThrow().covarianceMatrix(0);
      case DIAG -> {
        double[][] v = new double[k][d];
        for (int c = 0; c < k; c++) {
          double[][] s = m.asGaussian().orElseThrow().covarianceMatrix(c);
          for (int j = 0; j < d; j++) {
            v[c][j] = s[j][j];
          }
        }
        yield v;
      }
      case SPHERICAL -> {
        double[] v = new double[k];
        for (int c = 0; c < k; c++) {
          v[c] = m.asGaussian().orElseThrow().covarianceMatrix(c)[0][0];
        }
        yield v;
      }
    };
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("covariance_type", type.externalName());
    s.put("weights", m.weights());
    s.put("means", m.means());
    s.put("covariances", covariances);
    return s;
  }

  static Result fit(Path script, Path rows, long n, int d, Mixture start, int iterations, int threads,
      Path work, boolean predict) throws IOException, InterruptedException {
    Path startFile = work.resolve("sklearn-start.json");
    JSON.writeValue(startFile.toFile(), start(start));
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--data", rows.toString(),
        "--rows", Long.toString(n), "--features", Integer.toString(d), "--start", startFile.toString(),
        "--iterations", Integer.toString(iterations));
    if (predict) {
      pb.command().add("--predict");
    }
    String t = Integer.toString(threads);
    pb.environment().put("OPENBLAS_NUM_THREADS", t);
    pb.environment().put("OMP_NUM_THREADS", t);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("scikit-learn run failed (exit " + p.exitValue() + "): " + out);
    }
    JsonNode r = JSON.readTree(out);
    List<Double> seconds = new ArrayList<>();
    r.get("iteration_seconds").forEach(v -> seconds.add(v.asDouble()));
    return new Result(seconds, r.get("n_iter").asInt(), r.get("lower_bound").asDouble(),
        r.path("predict_seconds").asDouble(Double.NaN), r.path("sample_seconds").asDouble(Double.NaN));
  }
}
