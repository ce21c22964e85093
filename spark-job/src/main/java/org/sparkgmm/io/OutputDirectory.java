package org.sparkgmm.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkgmm.errors.UsageException;

/**
 * An output directory written atomically: everything goes to a hidden staging directory beside the
 * target ({@code .NAME.staging-UUID}), which is renamed into place; then {@code _SUCCESS} is
 * written into the target, last. An output is complete exactly when it has {@code _SUCCESS}: a
 * failed run leaves none and never touches an earlier complete output; {@link #abort()} removes the
 * staging directory.
 *
 * <p>With overwrite, the old output is first renamed aside ({@code .NAME.old-UUID}) and deleted
 * only after the new one is complete. On object stores (s3a) renames are copies, so a run killed
 * during the switch can leave a partial target, but never one with {@code _SUCCESS}, and the old
 * output whole aside; the next run writing that output puts the old one back first
 * ({@link #prepare} recovers an interrupted switch, and removes what killed runs left), then goes
 * on as if nothing had happened. On HDFS and the local file system each rename is atomic, but the
 * target is missing between the two.
 *
 * <p>Only one run writes an output at a time ({@link OutputLock}): a second one fails at once,
 * before any work, naming the holder.
 */
public final class OutputDirectory implements AutoCloseable {
  /** Marker written last into a complete output. */
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final OutputLock lock;
  private boolean committed;

  private OutputDirectory(FileSystem fs, Path target, Path staging, boolean overwrite, OutputLock lock) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
    this.lock = lock;
  }

  /**
   * Takes the output's lock, puts right what a killed run left there, and refuses an existing
   * target unless {@code overwrite}, all before any work is done. Besides the lock, nothing is
   * created until the first {@link #write}.
   *
   * @throws UsageException when another run holds the lock, or the target exists and
   *     {@code overwrite} is false
   * @throws UncheckedIOException when the file system cannot be reached
   */
  public static OutputDirectory prepare(String output, boolean overwrite, Configuration conf) {
    try {
      Path target = new Path(output);
      FileSystem fs = target.getFileSystem(conf);
      // No .crc side files next to model.json and metrics.json on the local file system.
      fs.setWriteChecksum(false);
      target = fs.makeQualified(target);
      // One run at a time per output: the lock, then (as its holder) undo what a killed run left.
      OutputLock lock = OutputLock.acquire(fs, target);
      try {
        recoverInterruptedSwitch(fs, target);
        if (!overwrite && fs.exists(target)) {
          throw new UsageException("Output " + output + " already exists" + (fs.exists(new Path(target, SUCCESS)) ? ""
              : " but is not complete (no " + SUCCESS + ")") + ": pass --overwrite to replace it, or choose another --output");
        }
      } catch (IOException | RuntimeException e) {
        lock.release();
        throw e;
      }
      Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
      return new OutputDirectory(fs, target, staging, overwrite, lock);
    } catch (IOException e) {
      if (AccessErrors.denied(e)) {
        throw new UsageException("Output " + output + " cannot be written: permission denied (" + e.getMessage()
            + "): choose another --output", e);
      }
      throw new UncheckedIOException("Cannot reach the output location " + output + ": " + e.getMessage(), e);
    }
  }

  /**
   * Undoes what a killed run left, as the holder of the output's lock (so no other run is writing
   * here). Killed between moving the old output aside and completing the new one, the target is
   * missing or has no {@code _SUCCESS} while a complete old output waits aside: that one is put
   * back (the partial target is removed), so readers see the old output again. Then every other
   * {@code .NAME.old-*} (superseded by a complete target) and every {@code .NAME.staging-*} (of a
   * run that died) is removed.
   */
  static void recoverInterruptedSwitch(FileSystem fs, Path target) throws IOException {
    if (!fs.exists(target.getParent())) {
      return;
    }
    String old = "." + target.getName() + ".old-";
    String staging = "." + target.getName() + ".staging-";
    FileStatus[] beside = fs.listStatus(target.getParent());
    if (!fs.exists(new Path(target, SUCCESS))) {
      for (FileStatus st : beside) {
        if (st.isDirectory() && st.getPath().getName().startsWith(old) && fs.exists(new Path(st.getPath(), SUCCESS))) {
          if (fs.exists(target)) {
            fs.delete(target, true);
          }
          if (!fs.rename(st.getPath(), target)) {
            throw new IOException("Cannot put the earlier output " + st.getPath() + " back at " + target);
          }
          break;
        }
      }
    }
    for (FileStatus st : beside) {
      String name = st.getPath().getName();
      if ((name.startsWith(old) || name.startsWith(staging)) && fs.exists(st.getPath())) {
        fs.delete(st.getPath(), true);
      }
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
   * Moves the staging directory into place, then writes {@code _SUCCESS} there: on a store whose
   * rename copies file by file, a reader never finds {@code _SUCCESS} over a partial output.
   *
   * @throws UsageException if the target appeared meanwhile and overwrite is off
   */
  public void commit() throws IOException {
    Failpoint.reach("commit-start");
    Path aside = null;
    if (fs.exists(target)) {
      if (!overwrite) {
        throw new UsageException("Output " + target + " appeared while the job ran: pass --overwrite to replace it");
      }
      aside = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      if (!fs.rename(target, aside)) {
        throw new IOException("Cannot move the old output " + target + " aside");
      }
      Failpoint.reach("commit-aside");
    }
    if (!fs.rename(staging, target)) {
      if (aside != null) {
        fs.rename(aside, target);
      }
      throw new IOException("Cannot move " + staging + " to " + target);
    }
    committed = true;
    Failpoint.reach("commit-moved");
    try (OutputStream out = fs.create(new Path(target, SUCCESS), true)) {
      out.flush();
    }
    if (aside != null) {
      Failpoint.reach("commit-success");
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

  /** Removes the staging directory unless committed, and releases the output's lock. */
  @Override
  public void close() {
    abort();
    lock.release();
  }
}
