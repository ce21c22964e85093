/**
 * The in-memory data layout shared by every kernel: dense column-major row blocks with optional
 * weights. No I/O and no Spark here; readers live in spark-job's {@code io} package.
 */
package org.sparkgmm.data;
