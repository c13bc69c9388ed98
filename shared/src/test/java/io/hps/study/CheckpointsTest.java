package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Lineage;
import io.hps.protocol.Resume;
import io.hps.protocol.Setting;
import io.hps.space.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoints folder: kept whole or not at all, found only where the parent keeps it, links never followed. */
class CheckpointsTest {
  @TempDir
  Path root;
  StudyDirectory study;
  Checkpoints checkpoints;
  final Instant t = Instant.parse("2026-12-02T10:00:00Z");
  final Setting parent = new Setting("s000004", 4, 0, 0, t, new Params(Map.of("lr", 0.1))).planned(3,
      new Lineage(0, null, null)).checkpointed(true, null);

  @BeforeEach
  void study() throws IOException {
    study = new StudyDirectory(root.resolve("study")).create();
    checkpoints = new Checkpoints(study);
  }

  Setting child(String from, String path) {
    return new Setting("s000009", 9, 0, 1, t, new Params(Map.of("lr", 0.1))).planned(9, new Lineage(1, null,
        "s000004")).checkpointed(false, new Resume(from, path, 3));
  }

  String keepOne() throws IOException {
    Path scratch = checkpoints.scratch(parent, "w1");
    Files.writeString(scratch.resolve("state.bin"), "weights");
    return checkpoints.keep(scratch, parent, "w1", 3, t);
  }

  @Test
  void aKeptCheckpointIsFoundByTheSettingThatContinuesIt() throws IOException {
    String path = keepOne();
    assertThat(path).isEqualTo("checkpoints/s000004/a1-w1");
    assertThat(checkpoints.of("s000004")).containsExactly(path);
    Checkpoints.Found found = checkpoints.find(child("s000004", path));
    assertThat(found.usable()).as(found.problem()).isTrue();
    assertThat(found.directory().resolve("state.bin")).hasContent("weights");
  }

  @Test
  void aCheckpointOfAnotherSettingThanTheParentIsRefused() throws IOException {
    Setting other = new Setting("s000005", 5, 0, 0, t, new Params(Map.of("lr", 0.2))).planned(3, null)
        .checkpointed(true, null);
    Path scratch = checkpoints.scratch(other, "w1");
    Files.writeString(scratch.resolve("state.bin"), "x");
    String path = checkpoints.keep(scratch, other, "w1", 3, t);
    assertThat(checkpoints.find(child("s000005", path)).problem()).contains("not one of the parent's");
  }

  @Test
  void aLinkedFolderIsNeverListedWrittenReadOrEmptiedThrough() throws IOException {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("precious.txt"), "keep me");
    Files.createDirectories(elsewhere.resolve("a1-w1"));
    Files.writeString(elsewhere.resolve("a1-w1").resolve("checkpoint.json"), "{}");
    Files.createDirectories(study.checkpoints());
    Files.createSymbolicLink(study.checkpoints().resolve("s000004"), elsewhere);

    assertThatThrownBy(() -> checkpoints.scratch(parent, "w1")).hasMessageContaining("symbolic link");
    assertThat(checkpoints.find(child("s000004", "checkpoints/s000004/a1-w1")).problem())
        .contains("symbolic link");
    assertThat(checkpoints.of("s000004")).isEmpty();
    checkpoints.dropAllBut("s000004", null);
    assertThat(Files.exists(study.checkpoints().resolve("s000004"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(elsewhere.resolve("precious.txt")).hasContent("keep me");
    assertThat(elsewhere.resolve("a1-w1")).isDirectory();
  }

  @Test
  void aHalfWrittenCheckpointIsNotWhole() throws IOException {
    Path half = Files.createDirectories(study.checkpoints().resolve("s000004").resolve("a1-w1"));
    Files.writeString(half.resolve("state.bin"), "weights");
    assertThat(checkpoints.find(child("s000004", "checkpoints/s000004/a1-w1")).problem())
        .contains("no checkpoint.json");
  }

  /** Issue 25: a FIFO as a state file blocked the worker forever while its heartbeat kept the lease. */
  @Test
  void aCheckpointHoldingAFifoOrALinkIsNotHandedToATrainer() throws Exception {
    String path = keepOne();
    Path dir = study.checkpoint(path);
    Path fifo = dir.resolve("state.bin");
    Files.delete(fifo);
    org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
        "SKIPPED: no mkfifo here");
    assertThat(checkpoints.find(child("s000004", path)).problem()).isEqualTo("checkpoint " + path
        + " holds state.bin, which is not a regular file (a FIFO, a socket or a device); not read");
    Files.delete(fifo);
    Files.createSymbolicLink(fifo, root.resolve("elsewhere"));
    assertThat(checkpoints.find(child("s000004", path)).problem()).contains("state.bin, which is a symbolic link");
  }
}
