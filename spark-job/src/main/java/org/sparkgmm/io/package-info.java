/**
 * Input and output on any Hadoop file system (file:, hdfs://, s3a://): reading and validating the
 * input table into cached dense blocks, reading models, and atomic output directories. No EM here.
 */
package org.sparkgmm.io;
