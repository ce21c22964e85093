package org.sparkgmm.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkgmm.errors.UsageException;

/**
 * An output directory written atomically: everything goes to a hidden staging directory beside the
 * target ({@code .NAME.staging-UUID}), {@code _SUCCESS} is written last, and only then is the
 * staging directory renamed into place. A failed run leaves no {@code _SUCCESS} and never touches
 * an earlier complete output; {@link #abort()} removes the staging directory.
 *
 * <p>With overwrite, the old output is first renamed aside and deleted only after the new one is
 * in place. On object stores (s3a) renames are copies: the switch is then quick but not atomic.
 */
public final class OutputDirectory implements AutoCloseable {
  /** Marker written last into a complete output. */
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private boolean committed;

  private OutputDirectory(FileSystem fs, Path target, Path staging, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
  }

  /**
   * Refuses an existing target unless {@code overwrite}, before any work is done. Nothing is
   * created until the first {@link #write}.
   *
   * @throws UsageException when the target exists and {@code overwrite} is false
   * @throws UncheckedIOException when the file system cannot be reached
   */
  public static OutputDirectory prepare(String output, boolean overwrite, Configuration conf) {
    try {
      Path target = new Path(output);
      FileSystem fs = target.getFileSystem(conf);
      // No .crc side files next to model.json and metrics.json on the local file system.
      fs.setWriteChecksum(false);
      target = fs.makeQualified(target);
      if (!overwrite && fs.exists(target)) {
        throw new UsageException("Output " + output + " already exists: pass --overwrite to replace it,"
            + " or choose another --output");
      }
      Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
      return new OutputDirectory(fs, target, staging, overwrite);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the output location " + output + ": " + e.getMessage(), e);
    }
  }

  /** The final location. */
  public Path target() {
    return target;
  }

  /** Where a writer that makes its own files (Spark's Parquet writer) puts {@code relative}, inside the staging directory. */
  public String path(String relative) {
    return new Path(staging, relative).toString();
  }

  /** Writes a UTF-8 text file at {@code relative} inside the staging directory. */
  public void write(String relative, String text) throws IOException {
    try (OutputStream out = fs.create(new Path(staging, relative), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Writes {@code _SUCCESS} and moves the staging directory into place.
   *
   * @throws UsageException if the target appeared meanwhile and overwrite is off
   */
  public void commit() throws IOException {
    write(SUCCESS, "");
    Path aside = null;
    if (fs.exists(target)) {
      if (!overwrite) {
        throw new UsageException("Output " + target + " appeared while the job ran: pass --overwrite to replace it");
      }
      aside = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      if (!fs.rename(target, aside)) {
        throw new IOException("Cannot move the old output " + target + " aside");
      }
    }
    if (!fs.rename(staging, target)) {
      if (aside != null) {
        fs.rename(aside, target);
      }
      throw new IOException("Cannot move " + staging + " to " + target);
    }
    committed = true;
    if (aside != null) {
      fs.delete(aside, true);
    }
  }

  /** Removes the staging directory unless committed. Never throws. */
  public void abort() {
    if (!committed) {
      try {
        fs.delete(staging, true);
      } catch (IOException | RuntimeException ignored) {
        // Best effort: a leftover hidden staging directory is harmless and has no _SUCCESS.
      }
    }
  }

  @Override
  public void close() {
    abort();
  }
}
