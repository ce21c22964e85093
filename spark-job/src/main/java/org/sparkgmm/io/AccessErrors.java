package org.sparkgmm.io;

import java.io.FileNotFoundException;
import java.io.IOException;

/** Telling "not allowed" from "not there" in what a Hadoop file system throws. */
final class AccessErrors {
  private AccessErrors() {}

  /**
   * Whether {@code e} means that the path exists but may not be read or written: HDFS's
   * {@code AccessControlException}, S3A's {@code AccessDeniedException}, or the local file system's
   * {@code FileNotFoundException} whose message ends in "(Permission denied)".
   */
  static boolean denied(IOException e) {
    if (e instanceof org.apache.hadoop.security.AccessControlException || e instanceof java.nio.file.AccessDeniedException) {
      return true;
    }
    return e instanceof FileNotFoundException && e.getMessage() != null && e.getMessage().contains("Permission denied");
  }
}
