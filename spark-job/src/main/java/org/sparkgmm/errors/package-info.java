/**
 * The two failure kinds users act on differently, each with its exit status (see
 * {@code cli.Main}): usage (2) and bad input data (3). Everything else exits 1.
 */
package org.sparkgmm.errors;
