package org.sparkgmm.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.sparkgmm.config.Checkpointing;
import org.sparkgmm.em.EmState;
import org.sparkgmm.errors.BadInputException;

/**
 * Batch EM's checkpoints in a directory of any Hadoop file system: {@code em-state} holds the
 * command's fingerprint and the {@link EmState} after the last saved iteration, written beside and
 * renamed over, so a driver killed at any moment leaves the previous checkpoint or the new one.
 * A checkpoint whose fingerprint differs (another command, other settings, or an input whose files
 * changed) is refused, never used.
 */
final class FitCheckpoint implements EmState.Checkpoints {
  private static final String MAGIC = "spark-gmm-em-checkpoint";
  private static final int VERSION = 1;
  private static final ObjectInputFilter ONLY_EM_STATE =
      ObjectInputFilter.Config.createFilter("org.sparkgmm.**;java.util.*;java.lang.*;maxdepth=64;!*");
  static final String FILE = "em-state";

  private final FileSystem fs;
  private final Path dir;
  private final int every;
  private final String fingerprint;
  private final PrintWriter progress;
  private final String who;
  private EmState resumed;
  private boolean read;

  private FitCheckpoint(FileSystem fs, Path dir, int every, String fingerprint, PrintWriter progress, String who) {
    this.fs = fs;
    this.dir = dir;
    this.every = every;
    this.fingerprint = fingerprint;
    this.progress = progress;
    this.who = who;
  }

  /**
   * The checkpoints of a run writing {@code output}, or {@link EmState#NONE} when they are off.
   *
   * @param command what identifies the run: the resolved settings, one line
   * @param input the input path, whose files' names, sizes and modification times join the fingerprint
   */
  static EmState.Checkpoints of(Checkpointing c, String output, String command, String input, Configuration hadoop,
      PrintWriter progress, String who) throws IOException {
    if (c.every() == 0) {
      return EmState.NONE;
    }
    Path dir = new Path(c.directory(output));
    return new FitCheckpoint(dir.getFileSystem(hadoop), dir, c.every(), fingerprint(command, input, hadoop), progress,
        who);
  }

  /** Removes a finished run's checkpoints (nothing when they were off). */
  static void clear(EmState.Checkpoints c) throws IOException {
    if (c instanceof FitCheckpoint f && f.fs.exists(f.dir)) {
      f.fs.delete(f.dir, true);
    }
  }

  /** The saved state (read once; later calls return the same), or null without one. */
  @Override
  public EmState resume() {
    if (!read) {
      resumed = read();
      read = true;
    }
    return resumed;
  }

  private EmState read() {
    Path file = new Path(dir, FILE);
    try {
      if (!fs.exists(file)) {
        return null;
      }
      try (InputStream raw = fs.open(file); ObjectInputStream in = new ObjectInputStream(raw)) {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
          throw new BadInputException("Checkpoint " + file + " is not a spark-gmm EM checkpoint of this version;"
              + " remove " + dir + " to start over");
        }
        String theirs = in.readUTF();
        if (!theirs.equals(fingerprint)) {
          throw new BadInputException("Checkpoint " + dir + " was written by a different command or input; remove it"
              + " (or pass another --checkpoint-dir) to start over");
        }
        // Only our own classes and the JDK's collections and boxes: a checkpoint directory is
        // writable by whoever runs jobs, so nothing else is ever instantiated from it.
        in.setObjectInputFilter(ONLY_EM_STATE);
        EmState state = (EmState) in.readObject();
        progress.printf(Locale.ROOT, "%s: resuming from checkpoint %s after iteration %d (%d start%s)%n", who, dir,
            state.iteration(), state.starts().size(), state.starts().size() == 1 ? "" : "s");
        return state;
      }
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new BadInputException("Checkpoint " + file + " is unreadable (" + e.getMessage() + "); remove " + dir
          + " to start over", e);
    }
  }

  @Override
  public void save(EmState state) {
    if (state.iteration() % every != 0) {
      return;
    }
    Path file = new Path(dir, FILE);
    Path next = new Path(dir, "." + FILE + ".next");
    try {
      fs.mkdirs(dir);
      try (OutputStream raw = fs.create(next, true); ObjectOutputStream out = new ObjectOutputStream(raw)) {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(fingerprint);
        out.writeObject(state);
      }
      fs.delete(file, false);
      if (!fs.rename(next, file)) {
        throw new IOException("Cannot rename " + next + " to " + file);
      }
    } catch (IOException e) {
      // A checkpoint that cannot be written costs only the resume: say so and go on.
      progress.printf(Locale.ROOT, "%s: warning: could not save the checkpoint after iteration %d in %s: %s%n", who,
          state.iteration(), dir, e.getMessage());
    }
  }

  /** SHA-256 of the settings line and every input file's path, size and modification time. */
  static String fingerprint(String command, String input, Configuration hadoop) throws IOException {
    List<String> files = new ArrayList<>();
    Path path = new Path(input);
    FileSystem fs = path.getFileSystem(hadoop);
    FileStatus[] matched = fs.globStatus(path);
    if (matched != null) {
      for (FileStatus st : matched) {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(st.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          files.add(f.getPath() + "\t" + f.getLen() + "\t" + f.getModificationTime());
        }
      }
    }
    files.sort(null);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(command.getBytes(StandardCharsets.UTF_8));
      for (String f : files) {
        sha.update((byte) '\n');
        sha.update(f.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
