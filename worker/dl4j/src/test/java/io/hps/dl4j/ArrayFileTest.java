package io.hps.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.space.Params;
import io.hps.trainer.Trial;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Checkpoint files: a file that cannot be this network's state is refused before anything is read. */
@Tag("dl4j")
class ArrayFileTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void natives() {
    Nd4jStart.once(Trial.of(new Params(Map.of("model", "cnn")), CnnTrainerTest.TINY));
  }

  static Map<String, INDArray> arrays() {
    return Map.of("params", Nd4j.zeros(DataType.FLOAT, 1000), "updater", Nd4j.zeros(DataType.FLOAT, 2000));
  }

  @Test
  void aStateFileRoundTripsAndAHugeOrOddOneIsRefusedUnread() throws Exception {
    Map<String, INDArray> saved = arrays();
    saved.get("params").addi(1.5f);
    Path file = dir.resolve("state.bin");
    ArrayFile.write(file, "cnn nf=8", saved);
    Map<String, INDArray> into = arrays();
    ArrayFile.readInto(file, "cnn nf=8", into);
    assertThat(into.get("params").getFloat(999)).isEqualTo(1.5f);
    // Issue 25: a 2 GB sparse file must not be read into memory (an OutOfMemoryError failed the setting).
    Path huge = dir.resolve("huge.bin");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(2L << 30);
    }
    assertThatThrownBy(() -> ArrayFile.readInto(huge, "cnn nf=8", arrays())).isInstanceOf(IOException.class)
        .hasMessageContaining("huge.bin is 2147483648 bytes; this network's state takes at most");
    // A FIFO would block its reader forever.
    Path fifo = dir.resolve("fifo.bin");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "SKIPPED: no mkfifo");
    assertThatThrownBy(() -> ArrayFile.readInto(fifo, "cnn nf=8", arrays())).hasMessageContaining(
        "fifo.bin is not a regular file");
    assertThat(Files.exists(fifo)).isTrue();
  }
}
