package org.sparkgmm.errors;

/**
 * The input data cannot be fitted as given (exit status 3): a missing or non-numeric column,
 * invalid values, no rows, too few rows for k, an unreadable path. The message says what, where
 * and the cure.
 */
public final class BadInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
