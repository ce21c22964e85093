/**
 * Starting points for EM built from data summaries (means chosen elsewhere, data moments from one
 * statistics pass). The choice of rows is distributed and lives in spark-job.
 */
package org.sparkgmm.init;
