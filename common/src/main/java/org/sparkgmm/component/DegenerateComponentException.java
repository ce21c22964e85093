package org.sparkgmm.component;

/**
 * An M-step that cannot produce a valid component from the data it was given (a covariance that is
 * not positive definite even after {@code reg_covar}): a property of the data, such as collinear
 * features or a component holding fewer distinct points than features, with the cure in the message.
 * The command line reports it as bad input (exit 3).
 */
public final class DegenerateComponentException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DegenerateComponentException(String message, Throwable cause) {
    super(message, cause);
  }
}
