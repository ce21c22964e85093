package org.sparkgmm.linalg;

import java.util.Optional;

/**
 * Loads this package's Vector API implementations ({@code src/main/vector}) when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector}, as the submit script, the tests and the benchmark
 * start it. Those classes are compiled separately (javac cannot silence the incubator module's
 * warning under {@code -Werror}) and must never be touched without the module.
 */
final class VectorApi {
  private VectorApi() {}

  static <T> Optional<T> load(String simpleName, Class<T> type) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(type.cast(Class.forName(VectorApi.class.getPackageName() + "." + simpleName)
          .getDeclaredConstructor().newInstance()));
    } catch (ReflectiveOperationException | LinkageError e) {
      return Optional.empty();
    }
  }
}
