package org.sparkgmm.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.config.Checkpointing;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.distribution.Gaussians;
import org.sparkgmm.em.EmState;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.model.Mixture;

/** The checkpoint file: what it keeps comes back, and it never instantiates a class that is not an EM state's. */
class FitCheckpointTest {
  @TempDir
  Path tmp;

  private EmState.Checkpoints checkpoints(Path input) throws IOException {
    return FitCheckpoint.of(new Checkpointing(null, 2), tmp.resolve("out").toString(), "fit --k 1", input.toString(),
        new Configuration(), new PrintWriter(new StringWriter()), "fit");
  }

  private static EmState state() {
    Mixture m = Mixture.gaussian(new double[] {1.0},
        Gaussians.of(CovarianceType.DIAG, new double[][] {{1.5, -2.0}}, new double[] {0.25, 4.0}), List.of("a", "b"));
    return new EmState(4, List.of(new EmState.Start(m, List.of(-3.0, -2.5), List.of(), 4, false, false, -2.5)));
  }

  @Test
  void aSavedStateComesBackWhole() throws IOException {
    Path input = Files.writeString(tmp.resolve("in.csv"), "a,b\n1,2\n");
    checkpoints(input).save(state());
    EmState back = checkpoints(input).resume();
    assertThat(back.iteration()).isEqualTo(4);
    assertThat(back.starts().get(0).history()).containsExactly(-3.0, -2.5);
    assertThat(back.starts().get(0).model().mean(0)).containsExactly(1.5, -2.0);
  }

  @Test
  void aCheckpointHoldingAnyOtherClassIsRefusedUnread() throws Exception {
    Path input = Files.writeString(tmp.resolve("in.csv"), "a,b\n1,2\n");
    checkpoints(input).save(state());
    Path file = tmp.resolve(".out.checkpoint").resolve(FitCheckpoint.FILE);
    String magic;
    int version;
    String fingerprint;
    try (InputStream raw = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(raw)) {
      magic = in.readUTF();
      version = in.readInt();
      fingerprint = in.readUTF();
    }
    // The same header, then a serializable JDK object that is no part of an EM state.
    try (OutputStream raw = Files.newOutputStream(file); ObjectOutputStream out = new ObjectOutputStream(raw)) {
      out.writeUTF(magic);
      out.writeInt(version);
      out.writeUTF(fingerprint);
      out.writeObject(new java.io.File("/etc/passwd"));
    }
    // (Forged by hand: its checksum side file would give it away before the filter does.)
    Files.deleteIfExists(file.resolveSibling("." + FitCheckpoint.FILE + ".crc"));
    assertThatThrownBy(() -> checkpoints(input).resume()).isInstanceOf(BadInputException.class)
        .hasMessageContaining("Checkpoint " + file).hasMessageContaining("is unreadable")
        .hasMessageContaining("REJECTED");
  }
}
