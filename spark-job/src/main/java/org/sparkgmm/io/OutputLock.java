package org.sparkgmm.io;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkgmm.errors.UsageException;

/**
 * One writer per output: {@code .NAME.lock} beside the target, created only if absent, naming its
 * holder ({@code pid@host}), and rewritten every {@link #HEARTBEAT_SECONDS} seconds while the run
 * lives. A lock whose holder ran on this host and is gone, or that was not rewritten for
 * {@link #STALE_SECONDS} seconds, belongs to a run that died (a killed driver) and is taken over;
 * any other is refused at once, naming the holder.
 */
final class OutputLock {
  static final long HEARTBEAT_SECONDS = 10;
  static final long STALE_SECONDS = 45;

  private final FileSystem fs;
  private final Path path;
  private final String holder;
  private final ScheduledExecutorService heartbeat;
  private boolean released;

  private OutputLock(FileSystem fs, Path path, String holder) {
    this.fs = fs;
    this.path = path;
    this.holder = holder;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gmm output lock " + path.getName());
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Takes the lock of {@code target}.
   *
   * @throws UsageException while another living run holds it
   */
  static OutputLock acquire(FileSystem fs, Path target) throws IOException {
    Path path = new Path(target.getParent(), "." + target.getName() + ".lock");
    String holder = ManagementFactory.getRuntimeMXBean().getName() + " since " + Instant.now();
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        createNew(fs, path, holder.getBytes(StandardCharsets.UTF_8));
        return new OutputLock(fs, path, holder);
      } catch (FileAlreadyExistsException taken) {
        FileStatus st;
        String other;
        try {
          st = fs.getFileStatus(path);
          other = read(fs, path);
        } catch (java.io.FileNotFoundException gone) {
          continue; // Released meanwhile: try again.
        }
        long idle = (System.currentTimeMillis() - st.getModificationTime()) / 1000;
        if (idle < STALE_SECONDS && !deadHere(other)) {
          throw new UsageException("Output " + target + " is being written by another run (" + other + ", alive "
              + idle + " s ago, lock " + path + "): wait for it to finish, or write elsewhere");
        }
        fs.delete(path, false); // Its run died: take over.
      }
    }
    throw new UsageException("Output " + target + " is being written by another run (lock " + path + ")");
  }

  /**
   * Creates {@code path} holding {@code bytes}, failing when it exists. HDFS's create-if-absent is
   * atomic at the name node; Hadoop's local file system checks, then creates, so two runs could
   * both win there: it goes through {@code O_CREAT|O_EXCL} instead.
   */
  private static void createNew(FileSystem fs, Path path, byte[] bytes) throws IOException {
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(path).toUri());
      java.nio.file.Files.createDirectories(local.getParent());
      try (OutputStream out = java.nio.file.Files.newOutputStream(local, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE)) {
        out.write(bytes);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(path + " exists");
      }
      return;
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }
  }

  /** Whether the holder ({@code pid@host since ...}) ran on this host and its process is gone. */
  static boolean deadHere(String holder) {
    String self = ManagementFactory.getRuntimeMXBean().getName();
    int at = holder.indexOf('@');
    int space = holder.indexOf(' ');
    if (at < 1 || space < at || !holder.substring(at, space).equals(self.substring(self.indexOf('@')))) {
      return false;
    }
    try {
      long pid = Long.parseLong(holder.substring(0, at));
      return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String read(FileSystem fs, Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  /** Rewrites the lock so that other runs see this one alive. */
  private synchronized void beat() {
    if (released) {
      return;
    }
    try (OutputStream out = fs.create(path, true)) {
      out.write(holder.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException ignored) {
      // A missed heartbeat only risks a takeover after STALE_SECONDS; the next one may succeed.
    }
  }

  /** Removes the lock. Never throws. */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    heartbeat.shutdownNow();
    try {
      fs.delete(path, false);
    } catch (IOException | RuntimeException ignored) {
      // Best effort: a lock left behind goes stale and is taken over.
    }
  }
}
