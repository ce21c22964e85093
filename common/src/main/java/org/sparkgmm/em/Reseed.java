package org.sparkgmm.em;

/**
 * A collapsed component re-seeded during EM.
 *
 * @param iteration the 1-based iteration whose M-step re-seeded it
 * @param component the component index
 * @param weightBefore its weight {@code N_k / N} when it collapsed
 * @param rowLogLikelihood the mixture log-likelihood of the row it was re-seeded at
 */
public record Reseed(int iteration, int component, double weightBefore, double rowLogLikelihood)
    implements java.io.Serializable {}
