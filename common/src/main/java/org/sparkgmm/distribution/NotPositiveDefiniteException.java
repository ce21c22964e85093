package org.sparkgmm.distribution;

/**
 * A covariance that is not symmetric positive definite, naming the component. The usual cure is a
 * larger {@code reg_covar}, fewer components, or dropping a feature that is constant or a linear
 * combination of others.
 */
public final class NotPositiveDefiniteException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final int component;

  /**
   * @param component the offending component, or -1 for the shared (tied) covariance
   * @param detail what failed
   */
  public NotPositiveDefiniteException(int component, String detail) {
    super((component < 0 ? "The tied covariance" : "The covariance of component " + component)
        + " is not positive definite (" + detail + ")");
    this.component = component;
  }

  /** The offending component, or -1 for the shared (tied) covariance. */
  public int component() {
    return component;
  }
}
