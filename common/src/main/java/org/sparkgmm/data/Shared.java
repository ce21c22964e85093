package org.sparkgmm.data;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A read-only value handed to every task of a pass (a Spark broadcast, a copy inside the task for
 * small values, or a plain reference locally). Valid until the end of the next
 * {@link DataPass#run}, and only inside it: after the pass a broadcast is destroyed and reading it
 * fails, on the driver too. Results an accumulator hands back must not read it.
 *
 * @param <T> the value's type
 */
public interface Shared<T> extends Supplier<T>, Serializable {}
