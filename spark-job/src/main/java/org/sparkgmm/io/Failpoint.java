package org.sparkgmm.io;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Named moments a fault test kills the driver at. With {@code GMM_FAILPOINT=NAME[,NAME...]} in
 * the environment, a run that reaches one of those moments prints {@code failpoint NAME reached}
 * and waits there until it is killed; without it (every real run) {@link #reach} does nothing. The
 * points exist so that a test can kill a real process inside a window that lasts microseconds,
 * such as the two renames of a commit.
 */
final class Failpoint {
  private static final Set<String> ARMED = Arrays.stream(System.getenv().getOrDefault("GMM_FAILPOINT", "").split(","))
      .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());

  private Failpoint() {
  }

  /** Waits forever at {@code name} if a test armed it. */
  static void reach(String name) {
    if (!ARMED.contains(name)) {
      return;
    }
    System.err.println("failpoint " + name + " reached");
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // Only a kill ends the wait.
      }
    }
  }
}
