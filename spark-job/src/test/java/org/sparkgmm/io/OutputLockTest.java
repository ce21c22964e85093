package org.sparkgmm.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.errors.UsageException;

/** One writer per output: who gets the lock, who is refused, and which dead holder's lock is taken over. */
class OutputLockTest {
  @TempDir
  Path tmp;

  private final FileSystem fs = local();

  private static FileSystem local() {
    try {
      return FileSystem.getLocal(new Configuration());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private org.apache.hadoop.fs.Path target() {
    return fs.makeQualified(new org.apache.hadoop.fs.Path(tmp.resolve("out").toUri()));
  }

  @Test
  void aSecondWriterIsRefusedUntilTheFirstReleases() throws Exception {
    OutputLock first = OutputLock.acquire(fs, target());
    assertThat(Files.readString(tmp.resolve(".out.lock"))).startsWith(ProcessHandle.current().pid() + "@");
    assertThatThrownBy(() -> OutputLock.acquire(fs, target())).isInstanceOf(UsageException.class)
        .hasMessageContaining("is being written by another run (" + ProcessHandle.current().pid() + "@")
        .hasMessageContaining(".out.lock");
    first.release();
    assertThat(tmp.resolve(".out.lock")).doesNotExist();
    OutputLock.acquire(fs, target()).release();
  }

  @Test
  void ofManyRacingWritersExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 40; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<OutputLock>> tries = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          tries.add(pool.submit(() -> {
            go.await();
            try {
              return OutputLock.acquire(fs, target());
            } catch (UsageException refused) {
              return null;
            }
          }));
        }
        go.countDown();
        List<OutputLock> won = new ArrayList<>();
        for (Future<OutputLock> f : tries) {
          if (f.get() != null) {
            won.add(f.get());
          }
        }
        assertThat(won).as("round %d", round).hasSize(1);
        won.get(0).release();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLockWhoseHolderOnThisHostIsGoneIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String host = java.lang.management.ManagementFactory.getRuntimeMXBean().getName().replaceAll("^[0-9]+", "");
    Files.writeString(tmp.resolve(".out.lock"), gone.pid() + host + " since 2026-01-01T00:00:00Z");
    OutputLock.acquire(fs, target()).release();
  }

  @Test
  void aLockFromAnotherHostIsRespectedWhileFreshAndTakenOverWhenStale() throws Exception {
    Path lock = tmp.resolve(".out.lock");
    Files.writeString(lock, "4242@elsewhere.example since 2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> OutputLock.acquire(fs, target())).isInstanceOf(UsageException.class)
        .hasMessageContaining("4242@elsewhere.example");
    Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - (OutputLock.STALE_SECONDS + 5) * 1000));
    OutputLock.acquire(fs, target()).release();
  }
}
