package org.sparkgmm.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sparkgmm.linalg.Blas;

/**
 * The machine's DGEMM rate with the BLAS the engine uses, one BLAS thread per worker and as many
 * workers as Spark tasks: what "the limit" means for the E- and M-step GEMMs.
 */
final class DgemmRate {
  private DgemmRate() {}

  /** Median aggregate GFLOP/s of {@code threads} concurrent {@code size^3} DGEMMs over {@code rounds} rounds. */
  static double measure(int threads, int size, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<double[][]> operands = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        double[] a = new double[size * size];
        double[] b = new double[size * size];
        for (int i = 0; i < a.length; i++) {
          a[i] = (i % 7) * 0.25 - 0.5;
          b[i] = (i % 5) * 0.5 - 1.0;
        }
        operands.add(new double[][] {a, b, new double[size * size]});
      }
      int calls = 3;
      double[] rates = new double[rounds + 1];
      for (int r = 0; r <= rounds; r++) { // round 0 warms up the JIT and the library
        List<Callable<Void>> work = new ArrayList<>();
        for (double[][] o : operands) {
          work.add(() -> {
            for (int c = 0; c < calls; c++) {
              Blas.blas().dgemm("N", "N", size, size, size, 1.0, o[0], size, o[1], size, 0.0, o[2], size);
            }
            return null;
          });
        }
        long start = System.nanoTime();
        for (Future<Void> f : pool.invokeAll(work)) {
          f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        rates[r] = 2.0 * size * (double) size * size * calls * threads / seconds / 1e9;
      }
      return median(Arrays.copyOfRange(rates, 1, rates.length));
    } finally {
      pool.shutdownNow();
    }
  }

  /** The CPU model as /proc/cpuinfo names it ("unknown" where there is none). */
  static String cpuModel() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (java.io.IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
  }
}
