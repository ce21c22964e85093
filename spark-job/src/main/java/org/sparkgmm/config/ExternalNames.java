package org.sparkgmm.config;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.sparkgmm.errors.UsageException;

/** Parsing of the stable names that enums carry on the command line and in config files. */
final class ExternalNames {
  private ExternalNames() {}

  /**
   * The constant whose name is {@code value} (case-insensitive).
   *
   * @throws UsageException naming the flag, the value and the valid names
   */
  static <E extends Enum<E>> E parse(E[] constants, Function<E, String> name, String flag, String value) {
    for (E e : constants) {
      if (name.apply(e).equalsIgnoreCase(value.trim())) {
        return e;
      }
    }
    throw new UsageException("Unknown " + flag + " '" + value + "': use "
        + Arrays.stream(constants).map(name).collect(Collectors.joining(" or ")));
  }
}
