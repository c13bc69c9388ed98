package io.hps.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trial;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticTrainerTest {
  final SyntheticTrainer trainer = new SyntheticTrainer();

  static Params params(double lr, double m, int bs, int nf) {
    Map<String, Object> map = new LinkedHashMap<>(Map.of("model", "synthetic", "lr", lr, "m", m, "bs", bs, "nf", nf,
        "epochs", 10, "seed", 1));
    return new Params(map);
  }

  double finalError(Params p) throws Exception {
    Outcome o = trainer.train(Trial.of(p), e -> true);
    return o.epochs().get(o.epochs().size() - 1).valError();
  }

  @Test
  void lossFallsAndErrorEndsFarBelowChance() throws Exception {
    Outcome o = trainer.train(Trial.of(params(0.05, 0.9, 100, 32)), e -> true);
    assertThat(o.status()).isEqualTo(Status.COMPLETE);
    assertThat(o.epochs()).hasSize(10);
    assertThat(o.epochs().get(9).trainLoss()).isLessThan(o.epochs().get(0).trainLoss() / 3);
    assertThat(o.epochs().get(9).valError()).isBetween(0.01, 0.05);
  }

  @Test
  void hyperparametersMatterTheWayTheyDoForTheCnn() throws Exception {
    assertThat(finalError(params(0.001, 0.0, 100, 32))).isGreaterThan(finalError(params(0.05, 0.9, 100, 32)));
    assertThat(finalError(params(0.05, 0.9, 100, 256))).isLessThan(finalError(params(0.05, 0.9, 100, 2)));
    assertThat(finalError(params(0.01, 0.5, 20, 32))).isLessThan(finalError(params(0.01, 0.5, 500, 32)));
  }

  @Test
  void sameSeedSameCurveAndEpochsExtendTheSameCurve() throws Exception {
    Params p = params(0.03, 0.5, 64, 40);
    assertThat(metrics(trainer.train(Trial.of(p), e -> true))).isEqualTo(metrics(trainer.train(Trial.of(p), e -> true)));
    Outcome five = trainer.train(Trial.of(p.with("epochs", 5)), e -> true);
    assertThat(trainer.train(Trial.of(p), e -> true).epochs().subList(0, 5).stream().map(Epoch::valError))
        .containsExactlyElementsOf(five.epochs().stream().map(Epoch::valError).toList());
    assertThat(finalError(p.with("seed", 2))).isNotEqualTo(finalError(p));
  }

  static java.util.List<java.util.List<Double>> metrics(Outcome o) {
    return o.epochs().stream().map(e -> java.util.List.of(e.trainLoss(), e.valLoss(), e.valError())).toList();
  }

  @Test
  void hugeLearningRatesDivergeWithNaN() throws Exception {
    Outcome o = trainer.train(Trial.of(params(2.0, 0.9, 100, 32)), e -> true);
    assertThat(o.status()).isEqualTo(Status.DIVERGED);
    assertThat(o.epochs()).hasSize(2);
    assertThat(o.epochs().get(1).trainLoss()).isNaN();
    assertThat(trainer.train(Trial.of(params(0.316, 1.0, 16, 100)), e -> true).status()).isEqualTo(Status.COMPLETE);
  }

  @Test
  void sinkCanStopEarly() throws Exception {
    Outcome o = trainer.train(Trial.of(params(0.05, 0.9, 100, 32)), e -> e.epoch() < 3);
    assertThat(o.status()).isEqualTo(Status.STOPPED);
    assertThat(o.epochs()).hasSize(3);
  }

  @Test
  void badParametersAreRefusedByItsDeclaration() {
    assertThat(trainer.parameters().problems(params(-1, 0.9, 100, 32))).containsExactly(
        "parameter 'lr' must be > 0, not -1.0");
    assertThat(trainer.parameters().problems(params(0.1, 1.5, 100, 32))).containsExactly(
        "parameter 'm' must be 0 to 1, not 1.5");
    assertThat(trainer.parameters().problems(params(0.1, 0.9, 100, 32).with("learningRate", 0.1)))
        .singleElement().asString().contains("'learningRate' is not read by the trainer 'synthetic'", "lr, m, bs");
    assertThat(trainer.parameters().problems(params(0.1, 0.9, 100, 32).with("Lr", 0.1)))
        .singleElement().asString().endsWith("did you mean 'lr'?");
  }

  /** Issue 25: a 2 GB sparse state file made the worker fail the setting with OutOfMemoryError. */
  @Test
  void aHugeStateFileIsRefusedAndTheSettingTrainsFromScratch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path state = dir.resolve(SyntheticTrainer.STATE);
    try (var f = new java.io.RandomAccessFile(state.toFile(), "rw")) {
      f.setLength(2L << 30); // sparse: takes no disk
    }
    Params p = params(0.05, 0.9, 100, 32).with("epochs", 4L);
    Outcome o = trainer.train(new io.hps.trainer.ForwardingTrial(Trial.of(p)) {
      @Override
      public java.util.Optional<io.hps.trainer.Checkpoint> resumeFrom() {
        return java.util.Optional.of(new io.hps.trainer.Checkpoint(dir, 2));
      }
    }, e -> true);
    assertThat(o.status()).isEqualTo(io.hps.protocol.Status.COMPLETE);
    assertThat(o.epochs()).hasSize(4);
    assertThat(String.valueOf(o.info().get("resumeFailed"))).contains("over the limit of 256");
  }
}
