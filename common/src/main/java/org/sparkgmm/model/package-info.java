/**
 * The immutable mixture ({@link org.sparkgmm.model.Mixture}: weights and component groups, with the
 * in-memory {@code logProbability}, {@code predict}, {@code predictProba} and {@code sample}), the
 * one codec of its public file format ({@code model.json}, versions 1 and 2), and what reads a model
 * without changing it: posteriors of rows ({@link org.sparkgmm.model.Posteriors}), sampling
 * ({@link org.sparkgmm.model.MixtureSampler}) and 2-D views ({@link org.sparkgmm.model.Projection}).
 * No fitting logic here: the M-step in {@code em} builds new models.
 */
package org.sparkgmm.model;
