/**
 * The Gaussian block's mergeable sufficient statistics ({@code add(block)} / {@code merge(other)}), the values that
 * cross the network in each EM iteration. No parameter updates here: the M-step lives in {@code em}.
 */
package org.sparkgmm.stats;
