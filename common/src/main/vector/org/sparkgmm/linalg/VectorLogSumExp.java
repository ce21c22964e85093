package org.sparkgmm.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LogSumExp} over the Vector API: the widest double vectors the CPU has, exp and log
 * vectorised. Loaded by {@link LogSumExp} only when {@code jdk.incubator.vector} is present.
 */
final class VectorLogSumExp extends LogSumExp {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  @Override
  public String describe() {
    return "vector(" + S.vectorBitSize() + " bit)";
  }

  @Override
  public void addWeightsAndMax(double[] lp, double[] logWeights, int n, double[] max) {
    int bound = S.loopBound(n);
    Arrays.fill(max, 0, n, Double.NEGATIVE_INFINITY);
    for (int c = 0; c < logWeights.length; c++) {
      double lw = logWeights[c];
      int o = c * n;
      int i = 0;
      for (; i < bound; i += S.length()) {
        DoubleVector v = DoubleVector.fromArray(S, lp, o + i).add(lw);
        v.intoArray(lp, o + i);
        DoubleVector.fromArray(S, max, i).max(v).intoArray(max, i);
      }
      for (; i < n; i++) {
        double v = lp[o + i] + lw;
        lp[o + i] = v;
        max[i] = Math.max(max[i], v);
      }
    }
  }

  @Override
  public void normalise(double[] lp, int n, int k, double[] max, double[] sum) {
    int bound = S.loopBound(n);
    Arrays.fill(sum, 0, n, 0.0);
    for (int c = 0; c < k; c++) {
      int o = c * n;
      int i = 0;
      for (; i < bound; i += S.length()) {
        DoubleVector e = DoubleVector.fromArray(S, lp, o + i).sub(DoubleVector.fromArray(S, max, i))
            .lanewise(VectorOperators.EXP);
        e.intoArray(lp, o + i);
        DoubleVector.fromArray(S, sum, i).add(e).intoArray(sum, i);
      }
      for (; i < n; i++) {
        double e = Math.exp(lp[o + i] - max[i]);
        lp[o + i] = e;
        sum[i] += e;
      }
    }
    int i = 0;
    for (; i < bound; i += S.length()) {
      DoubleVector s = DoubleVector.fromArray(S, sum, i);
      DoubleVector.fromArray(S, max, i).add(s.lanewise(VectorOperators.LOG)).intoArray(max, i);
      DoubleVector.broadcast(S, 1.0).div(s).intoArray(sum, i);
    }
    for (; i < n; i++) {
      max[i] += Math.log(sum[i]);
      sum[i] = 1.0 / sum[i];
    }
    for (int c = 0; c < k; c++) {
      int o = c * n;
      int j = 0;
      for (; j < bound; j += S.length()) {
        DoubleVector.fromArray(S, lp, o + j).mul(DoubleVector.fromArray(S, sum, j)).intoArray(lp, o + j);
      }
      for (; j < n; j++) {
        lp[o + j] *= sum[j];
      }
    }
  }
}
