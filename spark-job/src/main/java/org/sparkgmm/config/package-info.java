/**
 * Job settings: the validated immutable {@code FitConfig}, its enums, and the single resolver that
 * applies command line over config file over defaults. No Spark here.
 */
package org.sparkgmm.config;
