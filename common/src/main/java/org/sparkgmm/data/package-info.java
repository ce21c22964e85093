/**
 * The in-memory data layout shared by every kernel (dense column-major row blocks with optional
 * weights and fixed component labels) and the pass abstraction algorithms are written against
 * ({@link org.sparkgmm.data.DataPass}, {@link org.sparkgmm.data.BlockAccumulator}). No I/O and no
 * Spark here; readers live in spark-job's {@code io} package, the Spark pass in its {@code driver}.
 */
package org.sparkgmm.data;
