package org.sparkgmm.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FeatureKernels} over the Vector API. The products keep their partial sums in registers:
 * {@code F W} four components by two row vectors at a time (8 accumulators, 6 loads per 8 FMAs),
 * {@code U^T F} four components by three features (12 accumulators, 7 loads per 12 FMAs, one
 * lane reduction each per chunk). Remainders take narrower variants, trailing rows scalar code.
 * Loaded by {@link FeatureKernels} only when {@code jdk.incubator.vector} is present.
 */
final class VectorFeatureKernels extends FeatureKernels {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public String describe() {
    return "vector(" + S.vectorBitSize() + " bit)";
  }

  @Override
  public void quadraticFeatures(double[] x, int n, int i0, int m, double[] r, double[] f) {
    int d = r.length;
    int linear = d * (d + 1) / 2;
    for (int a = 0; a < d; a++) {
      centre(x, a * n + i0, m, r[a], f, (linear + a) * m);
    }
    int bound = S.loopBound(m);
    int q = 0;
    for (int b = 0; b < d; b++) {
      int zb = (linear + b) * m;
      for (int a = b; a < d; a++) {
        int za = (linear + a) * m;
        int to = q++ * m;
        int i = 0;
        for (; i < bound; i += L) {
          DoubleVector.fromArray(S, f, za + i).mul(DoubleVector.fromArray(S, f, zb + i)).intoArray(f, to + i);
        }
        for (; i < m; i++) {
          f[to + i] = f[za + i] * f[zb + i];
        }
      }
    }
    Arrays.fill(f, (linear + d) * m, (linear + d + 1) * m, 1.0);
  }

  private static void centre(double[] x, int from, int m, double ref, double[] f, int to) {
    int bound = S.loopBound(m);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector.fromArray(S, x, from + i).sub(ref).intoArray(f, to + i);
    }
    for (; i < m; i++) {
      f[to + i] = x[from + i] - ref;
    }
  }

  @Override
  public void centredPowers(double[] x, int n, int i0, int m, double[] r, double[] a, boolean ones) {
    int d = r.length;
    int bound = S.loopBound(m);
    for (int j = 0; j < d; j++) {
      double ref = r[j];
      int from = j * n + i0;
      int sq = j * m;
      int lin = (d + j) * m;
      int i = 0;
      for (; i < bound; i += L) {
        DoubleVector z = DoubleVector.fromArray(S, x, from + i).sub(ref);
        z.intoArray(a, lin + i);
        z.mul(z).intoArray(a, sq + i);
      }
      for (; i < m; i++) {
        double z = x[from + i] - ref;
        a[lin + i] = z;
        a[sq + i] = z * z;
      }
    }
    if (ones) {
      Arrays.fill(a, 2 * d * m, (2 * d + 1) * m, 1.0);
    }
  }

  @Override
  public void times(int m, int k, int p, double[] f, double[] w, double[] out, int outOffset, int ldOut) {
    if (p > SMALL_PRODUCT_MAX || k > SMALL_PRODUCT_MAX) {
      plain().times(m, k, p, f, w, out, outOffset, ldOut);
      return;
    }
    int c = 0;
    for (; c + 4 <= k; c += 4) {
      timesFour(m, p, f, w, c * p, out, c * ldOut + outOffset, ldOut);
    }
    for (; c < k; c++) {
      timesOne(m, p, f, w, c * p, out, c * ldOut + outOffset);
    }
  }

  /** Components at weight columns w0, w0+p, w0+2p, w0+3p into out columns o0, o0+ld, ... */
  private static void timesFour(int m, int p, double[] f, double[] w, int w0, double[] out, int o0, int ld) {
    int w1 = w0 + p;
    int w2 = w1 + p;
    int w3 = w2 + p;
    int o1 = o0 + ld;
    int o2 = o1 + ld;
    int o3 = o2 + ld;
    int i = 0;
    for (; i + 2 * L <= m; i += 2 * L) {
      DoubleVector a00 = DoubleVector.zero(S);
      DoubleVector a01 = a00;
      DoubleVector a02 = a00;
      DoubleVector a03 = a00;
      DoubleVector a10 = a00;
      DoubleVector a11 = a00;
      DoubleVector a12 = a00;
      DoubleVector a13 = a00;
      for (int q = 0; q < p; q++) {
        DoubleVector f0 = DoubleVector.fromArray(S, f, q * m + i);
        DoubleVector f1 = DoubleVector.fromArray(S, f, q * m + i + L);
        DoubleVector b = DoubleVector.broadcast(S, w[w0 + q]);
        a00 = f0.fma(b, a00);
        a10 = f1.fma(b, a10);
        b = DoubleVector.broadcast(S, w[w1 + q]);
        a01 = f0.fma(b, a01);
        a11 = f1.fma(b, a11);
        b = DoubleVector.broadcast(S, w[w2 + q]);
        a02 = f0.fma(b, a02);
        a12 = f1.fma(b, a12);
        b = DoubleVector.broadcast(S, w[w3 + q]);
        a03 = f0.fma(b, a03);
        a13 = f1.fma(b, a13);
      }
      a00.intoArray(out, o0 + i);
      a10.intoArray(out, o0 + i + L);
      a01.intoArray(out, o1 + i);
      a11.intoArray(out, o1 + i + L);
      a02.intoArray(out, o2 + i);
      a12.intoArray(out, o2 + i + L);
      a03.intoArray(out, o3 + i);
      a13.intoArray(out, o3 + i + L);
    }
    for (; i + L <= m; i += L) {
      DoubleVector a0 = DoubleVector.zero(S);
      DoubleVector a1 = a0;
      DoubleVector a2 = a0;
      DoubleVector a3 = a0;
      for (int q = 0; q < p; q++) {
        DoubleVector f0 = DoubleVector.fromArray(S, f, q * m + i);
        a0 = f0.fma(DoubleVector.broadcast(S, w[w0 + q]), a0);
        a1 = f0.fma(DoubleVector.broadcast(S, w[w1 + q]), a1);
        a2 = f0.fma(DoubleVector.broadcast(S, w[w2 + q]), a2);
        a3 = f0.fma(DoubleVector.broadcast(S, w[w3 + q]), a3);
      }
      a0.intoArray(out, o0 + i);
      a1.intoArray(out, o1 + i);
      a2.intoArray(out, o2 + i);
      a3.intoArray(out, o3 + i);
    }
    for (; i < m; i++) {
      double s0 = 0.0;
      double s1 = 0.0;
      double s2 = 0.0;
      double s3 = 0.0;
      for (int q = 0; q < p; q++) {
        double v = f[q * m + i];
        s0 += v * w[w0 + q];
        s1 += v * w[w1 + q];
        s2 += v * w[w2 + q];
        s3 += v * w[w3 + q];
      }
      out[o0 + i] = s0;
      out[o1 + i] = s1;
      out[o2 + i] = s2;
      out[o3 + i] = s3;
    }
  }

  private static void timesOne(int m, int p, double[] f, double[] w, int w0, double[] out, int o0) {
    int i = 0;
    for (; i + L <= m; i += L) {
      DoubleVector a = DoubleVector.zero(S);
      for (int q = 0; q < p; q++) {
        a = DoubleVector.fromArray(S, f, q * m + i).fma(DoubleVector.broadcast(S, w[w0 + q]), a);
      }
      a.intoArray(out, o0 + i);
    }
    for (; i < m; i++) {
      double s = 0.0;
      for (int q = 0; q < p; q++) {
        s += f[q * m + i] * w[w0 + q];
      }
      out[o0 + i] = s;
    }
  }

  @Override
  public void transposeTimes(int m, int k, int p, double[] u, int uOffset, int ldU, double[] f, double[] t) {
    if (p > SMALL_PRODUCT_MAX || k > SMALL_PRODUCT_MAX) {
      plain().transposeTimes(m, k, p, u, uOffset, ldU, f, t);
      return;
    }
    int c = 0;
    for (; c + 4 <= k; c += 4) {
      int q = 0;
      for (; q + 3 <= p; q += 3) {
        fourByThree(m, k, u, uOffset + c * ldU, ldU, f, q, c, t);
      }
      for (; q < p; q++) {
        fourByOne(m, k, u, uOffset + c * ldU, ldU, f, q, c, t);
      }
    }
    for (; c < k; c++) {
      for (int q = 0; q < p; q++) {
        t[q * k + c] = dot(m, u, uOffset + c * ldU, f, q * m);
      }
    }
  }

  /** t for components c..c+3 (U columns from u0, ld apart) and features q..q+2. */
  private static void fourByThree(int m, int k, double[] u, int u0, int ld, double[] f, int q, int c, double[] t) {
    int u1 = u0 + ld;
    int u2 = u1 + ld;
    int u3 = u2 + ld;
    int f0 = q * m;
    int f1 = f0 + m;
    int f2 = f1 + m;
    DoubleVector s00 = DoubleVector.zero(S);
    DoubleVector s01 = s00;
    DoubleVector s02 = s00;
    DoubleVector s10 = s00;
    DoubleVector s11 = s00;
    DoubleVector s12 = s00;
    DoubleVector s20 = s00;
    DoubleVector s21 = s00;
    DoubleVector s22 = s00;
    DoubleVector s30 = s00;
    DoubleVector s31 = s00;
    DoubleVector s32 = s00;
    int bound = S.loopBound(m);
    for (int i = 0; i < bound; i += L) {
      DoubleVector x0 = DoubleVector.fromArray(S, f, f0 + i);
      DoubleVector x1 = DoubleVector.fromArray(S, f, f1 + i);
      DoubleVector x2 = DoubleVector.fromArray(S, f, f2 + i);
      DoubleVector v = DoubleVector.fromArray(S, u, u0 + i);
      s00 = v.fma(x0, s00);
      s01 = v.fma(x1, s01);
      s02 = v.fma(x2, s02);
      v = DoubleVector.fromArray(S, u, u1 + i);
      s10 = v.fma(x0, s10);
      s11 = v.fma(x1, s11);
      s12 = v.fma(x2, s12);
      v = DoubleVector.fromArray(S, u, u2 + i);
      s20 = v.fma(x0, s20);
      s21 = v.fma(x1, s21);
      s22 = v.fma(x2, s22);
      v = DoubleVector.fromArray(S, u, u3 + i);
      s30 = v.fma(x0, s30);
      s31 = v.fma(x1, s31);
      s32 = v.fma(x2, s32);
    }
    int t0 = q * k + c;
    int t1 = t0 + k;
    int t2 = t1 + k;
    t[t0] = sum(s00);
    t[t1] = sum(s01);
    t[t2] = sum(s02);
    t[t0 + 1] = sum(s10);
    t[t1 + 1] = sum(s11);
    t[t2 + 1] = sum(s12);
    t[t0 + 2] = sum(s20);
    t[t1 + 2] = sum(s21);
    t[t2 + 2] = sum(s22);
    t[t0 + 3] = sum(s30);
    t[t1 + 3] = sum(s31);
    t[t2 + 3] = sum(s32);
    for (int i = bound; i < m; i++) {
      double a0 = f[f0 + i];
      double a1 = f[f1 + i];
      double a2 = f[f2 + i];
      for (int j = 0; j < 4; j++) {
        double v = u[u0 + j * ld + i];
        t[t0 + j] += v * a0;
        t[t1 + j] += v * a1;
        t[t2 + j] += v * a2;
      }
    }
  }

  private static void fourByOne(int m, int k, double[] u, int u0, int ld, double[] f, int q, int c, double[] t) {
    for (int j = 0; j < 4; j++) {
      t[q * k + c + j] = dot(m, u, u0 + j * ld, f, q * m);
    }
  }

  private static double dot(int m, double[] a, int a0, double[] b, int b0) {
    DoubleVector s = DoubleVector.zero(S);
    int bound = S.loopBound(m);
    int i = 0;
    for (; i < bound; i += L) {
      s = DoubleVector.fromArray(S, a, a0 + i).fma(DoubleVector.fromArray(S, b, b0 + i), s);
    }
    double r = sum(s);
    for (; i < m; i++) {
      r += a[a0 + i] * b[b0 + i];
    }
    return r;
  }

  private static double sum(DoubleVector v) {
    return v.reduceLanes(VectorOperators.ADD);
  }
}
