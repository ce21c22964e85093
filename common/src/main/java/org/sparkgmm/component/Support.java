package org.sparkgmm.component;

import java.io.Serializable;

/**
 * Which values a model or a structure can take, feature by feature: what readers check each value
 * against, so that a value outside a family's support (a negative Exponential, a Poisson that is not
 * a count, a category a model has not seen) is bad input, never a NaN.
 */
@FunctionalInterface
public interface Support extends Serializable {
  /** Why {@code value} of feature {@code feature} cannot be taken, or {@code null} when it can. */
  String outsideSupport(int feature, double value);
}
