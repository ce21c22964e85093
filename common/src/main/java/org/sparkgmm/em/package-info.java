/**
 * Expectation-maximisation: the block E-step accumulator, the M-step and the loop with its
 * convergence test. Knows nothing of Spark: a distributed pass is plugged in as a
 * {@link org.sparkgmm.em.ExpectationMaximization.Pass}.
 */
package org.sparkgmm.em;
