/**
 * Expectation-maximisation for any mixture of the {@code component} contract: the block E-step
 * accumulator, the M-step's shared policy (weights, the parameters it may change, collapsed
 * components re-seeded, frozen components kept) and the loop with its convergence test, for one
 * start or several sharing every pass; {@link org.sparkgmm.em.MixtureFit} runs it all on in-memory
 * arrays. Knows nothing of Spark: the data are reached through a {@link org.sparkgmm.data.DataPass}.
 */
package org.sparkgmm.em;
