package org.sparkgmm.cli;

/** A command that can ask for stack traces on errors. */
interface Verbosity {
  /** Whether errors should carry their stack trace. */
  boolean verbose();
}
