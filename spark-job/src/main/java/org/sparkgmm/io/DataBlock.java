package org.sparkgmm.io;

import java.io.Serializable;
import org.sparkgmm.data.RowBlock;

/**
 * A cached block of valid rows plus how many input rows were scanned to fill it and how many of
 * those were invalid (dropped), so that one pass both packs and counts.
 */
public record DataBlock(RowBlock rows, long scanned, long invalid) implements Serializable {}
