package org.sparkgmm.errors;

/** The command line or configuration is wrong (exit status 2). The message says what and the cure. */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
