/**
 * The {@code gmm} command line (picocli): flag parsing, exit statuses and one-line error messages.
 * Values are resolved and validated in {@code config}; the work is done in {@code driver}.
 */
package org.sparkgmm.cli;
