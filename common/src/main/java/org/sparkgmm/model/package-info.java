/**
 * The immutable mixture model and the one codec of its public file format ({@code model.json}).
 * No fitting logic here: the M-step in {@code em} builds new models.
 */
package org.sparkgmm.model;
