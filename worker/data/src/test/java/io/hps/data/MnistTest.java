package io.hps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
  static final Path TINY = Path.of(System.getProperty("hps.root", ".."), "test-data", "mnist-tiny");

  @Test
  void readsTheShippedSubsetWithTheRealFirstLabels() throws Exception {
    Dataset d = Mnist.training(TINY, 0, 10);
    assertThat(d.labels()).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
    assertThat(d.columns()).isEqualTo(784);
    float max = 0;
    for (float v : d.features()) {
      max = Math.max(max, v);
    }
    assertThat(max).isEqualTo(1f);
    assertThat(Mnist.trainingCount(TINY)).isEqualTo(1200);
    assertThat(Mnist.training(TINY, 1190, 10).rows()).isEqualTo(10);
    assertThatThrownBy(() -> Mnist.training(TINY, 1195, 10)).hasMessageContaining("holds 1200 items");
  }

  @Test
  void rawAndGzipFilesAreTheSame(@TempDir Path dir) throws Exception {
    for (String name : new String[] {Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS}) {
      try (var in = new GZIPInputStream(Files.newInputStream(TINY.resolve(name + ".gz")))) {
        Files.copy(in, dir.resolve(name));
      }
    }
    Files.copy(TINY.resolve("SHA256SUMS"), dir.resolve("SHA256SUMS"));
    Dataset raw = Mnist.training(dir, 0, 1200);
    Dataset gz = Mnist.training(TINY, 0, 1200);
    assertThat(raw.features()).isEqualTo(gz.features());
    assertThat(raw.labels()).isEqualTo(gz.labels());
  }

  @Test
  void aDamagedOrMissingFileIsNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Mnist.verify(dir)).hasMessageContaining("train-images-idx3-ubyte")
        .hasMessageContaining("hps data fetch");
    Files.copy(TINY.resolve("SHA256SUMS"), dir.resolve("SHA256SUMS"));
    Files.copy(TINY.resolve(Mnist.TRAIN_LABELS + ".gz"), dir.resolve(Mnist.TRAIN_LABELS + ".gz"));
    try (var in = new GZIPInputStream(Files.newInputStream(TINY.resolve(Mnist.TRAIN_IMAGES + ".gz")));
        OutputStream out = Files.newOutputStream(dir.resolve(Mnist.TRAIN_IMAGES))) {
      byte[] all = in.readAllBytes();
      all[5000] ^= 1;
      out.write(all);
    }
    assertThatThrownBy(() -> Mnist.verify(dir)).hasMessageContaining("damaged").hasMessageContaining("SHA-256");
  }

  @Test
  void withoutASumsFileTheOfficialSumsApply(@TempDir Path dir) throws Exception {
    Files.copy(TINY.resolve(Mnist.TRAIN_IMAGES + ".gz"), dir.resolve(Mnist.TRAIN_IMAGES + ".gz"));
    Files.copy(TINY.resolve(Mnist.TRAIN_LABELS + ".gz"), dir.resolve(Mnist.TRAIN_LABELS + ".gz"));
    assertThatThrownBy(() -> Mnist.verify(dir)).hasMessageContaining("expected " + Mnist.OFFICIAL.get(Mnist.TRAIN_IMAGES));
  }
}
