package org.sparkgmm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Looks at what a job wrote on a Hadoop file system (hdfs://, s3a://) from the test. */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** The names in a directory; empty when it does not exist. */
  public static List<String> names(FileSystem fs, String dir) throws IOException {
    Path p = new Path(dir);
    List<String> out = new ArrayList<>();
    if (fs.exists(p)) {
      for (FileStatus s : fs.listStatus(p)) {
        out.add(s.getPath().getName());
      }
    }
    return out;
  }

  /** A file's text (UTF-8). */
  public static String read(FileSystem fs, String file) throws IOException {
    try (InputStream in = fs.open(new Path(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
