package io.hps.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trial;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real training (op by op on ND4J, the default path) on the shipped 1,200-image MNIST subset. */
@Tag("dl4j")
class CnnTrainerTest {
  static final Path TINY = Path.of(System.getProperty("hps.root", "../.."), "test-data", "mnist-tiny");
  static CnnTrainer trainer;

  @BeforeAll
  static void natives() {
    trainer = new CnnTrainer();
  }

  static Outcome train(Params p, EpochSink sink) throws Exception {
    return trainer.train(Trial.of(p, CnnTrainerTest.TINY), sink);
  }

  static Params params(Object... more) {
    Map<String, Object> map = new LinkedHashMap<>(Map.of("model", "cnn", "nf", 8, "lr", 0.05, "m", 0.9, "bs", 50,
        "epochs", 3, "seed", 7, "trainSize", 1000, "valSize", 200));
    for (int i = 0; i < more.length; i += 2) {
      map.put((String) more[i], more[i + 1]);
    }
    return new Params(map);
  }

  @Test
  void learns() throws Exception {
    Outcome o = train(params(), e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    List<Epoch> epochs = o.epochs();
    assertThat(epochs).hasSize(3);
    assertThat(epochs.get(2).trainLoss()).isLessThan(epochs.get(0).trainLoss());
    assertThat(epochs.get(0).trainLoss()).isLessThan(2.4);
    assertThat(epochs.get(2).valError()).isLessThan(0.5); // chance is 0.9
    assertThat(epochs.get(2).elapsedSeconds()).isGreaterThan(epochs.get(0).elapsedSeconds());
    // 5x5x1x8+8 + 5x5x8x8+8 + 128x256+256 + 256x10+10
    assertThat(o.info()).containsEntry("numFreeParameters", 208L + 1608 + 33024 + 2570).containsEntry("trainExamples",
        1000).containsEntry("execution", "op by op").doesNotContainKey("batchNote");
  }

  @Test
  void aBatchLargerThanTheTrainingSetUsesAllOfItAndSaysSo() throws Exception {
    Outcome o = train(params("bs", 400, "trainSize", 300, "epochs", 2), e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    assertThat(o.epochs()).hasSize(2);
    assertThat(o.info()).containsEntry("batchNote",
        "bs 400 is more than the 300 training images: every step used all of them");
  }

  @Test
  void sameSeedSameCurve() throws Exception {
    Outcome a = train(params("epochs", 2, "momentum", "classic"), e -> true);
    Outcome b = train(params("epochs", 2, "momentum", "classic"), e -> true);
    assertThat(metrics(a)).isEqualTo(metrics(b));
    assertThat(metrics(train(params("epochs", 2, "seed", 8), e -> true))).isNotEqualTo(metrics(a));
  }

  static List<List<Double>> metrics(Outcome o) {
    return o.epochs().stream().map(e -> List.of(e.trainLoss(), e.valLoss(), e.valError())).toList();
  }

  @Test
  void aHugeLearningRateDivergesInsteadOfCrashing() throws Exception {
    Outcome o = train(params("lr", 1e6, "epochs", 3), e -> true);
    assertThat(o.status()).isEqualTo(Status.DIVERGED);
    assertThat(o.reason()).contains("epoch");
    assertThat(o.epochs().get(o.epochs().size() - 1).finite()).isFalse();
  }

  @Test
  void theSinkCanStopTraining() throws Exception {
    Outcome o = train(params("epochs", 3), e -> false);
    assertThat(o.status()).isEqualTo(Status.STOPPED);
    assertThat(o.epochs()).hasSize(1);
  }
}
