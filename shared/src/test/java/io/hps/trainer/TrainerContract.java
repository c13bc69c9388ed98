package io.hps.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every trainer promises, through the public API only ({@link Trial#of}): the sink's "stop" ends
 * training after that epoch; the same parameters and seed give the same curve; a non-finite loss ends
 * as {@code diverged}; parameters it cannot train with are refused by its declared parameters (which also
 * accept the good ones) or, when it declares none, throw; a trial resumed from a checkpoint continues
 * its parent's curve, and one from a damaged checkpoint trains from scratch and says so. Each trainer's test extends this (the
 * shared module's test jar carries it to the modules with trainers).
 */
public abstract class TrainerContract {
  protected abstract Trainer trainer();

  /** Parameters it trains well with, for 4 epochs (model and seed are added). */
  protected abstract Map<String, Object> good();

  /** Parameters whose loss becomes NaN or infinite. */
  protected abstract Map<String, Object> diverging();

  /** Parameters it must refuse. */
  protected abstract Map<String, Object> bad();

  Params params(Map<String, Object> values) {
    Map<String, Object> all = new LinkedHashMap<>(Map.of("model", trainer().model(), "seed", 11L, "epochs", 4L));
    all.putAll(values);
    return new Params(all);
  }

  /** The trial of {@code params}: by default outside any study, with the default data directory. */
  protected Trial trial(Params params) {
    return Trial.of(params);
  }

  Outcome run(Map<String, Object> values, EpochSink sink) throws Exception {
    return trainer().train(trial(params(values)), sink);
  }

  @Test
  void theSinkStopsTrainingAfterThatEpoch() throws Exception {
    Outcome outcome = run(good(), epoch -> epoch.epoch() < 2);
    assertThat(outcome.status()).isEqualTo(Status.STOPPED);
    assertThat(outcome.epochs()).extracting(Epoch::epoch).containsExactly(1, 2);
  }

  @Test
  void theSameSeedGivesTheSameCurve() throws Exception {
    List<Double> first = run(good(), epoch -> true).epochs().stream().map(Epoch::valError).toList();
    List<Double> second = run(good(), epoch -> true).epochs().stream().map(Epoch::valError).toList();
    assertThat(first).hasSize(4).isEqualTo(second);
  }

  @Test
  void aNonFiniteLossIsDiverged() throws Exception {
    Outcome outcome = run(diverging(), epoch -> true);
    assertThat(outcome.status()).isEqualTo(Status.DIVERGED);
    assertThat(outcome.epochs().get(outcome.epochs().size() - 1).finite()).isFalse();
  }

  /** Whether the trainer saves and resumes checkpoints (the checkpoint tests run only then). */
  protected boolean checkpoints() {
    return true;
  }

  @Test
  void aResumedTrialContinuesItsParentsCurve() throws Exception {
    Assumptions.assumeTrue(checkpoints(), "this trainer keeps no checkpoints");
    Path saved = Files.createTempDirectory("hps-checkpoint-");
    Outcome parent = trainer().train(checkpointed(params(good()).with("epochs", 2L), saved, null), epoch -> true);
    assertThat(parent.status()).isEqualTo(Status.COMPLETE);
    assertThat(parent.info()).doesNotContainKey("checkpointFailed");
    try (var files = Files.list(saved)) {
      assertThat(files.count()).as("files saved").isPositive();
    }
    Outcome child = trainer().train(checkpointed(params(good()), null, new Checkpoint(saved, 2)), epoch -> true);
    Outcome fresh = run(good(), epoch -> true);
    assertThat(child.info()).doesNotContainKey("resumeFailed");
    assertThat(child.epochs()).extracting(Epoch::epoch).containsExactly(3, 4);
    // It continues the curve (its first loss is near a fresh run's third epoch), it does not restart it.
    double resumed = child.epochs().get(0).trainLoss();
    assertThat(Math.abs(resumed - fresh.epochs().get(2).trainLoss()))
        .isLessThan(Math.abs(resumed - fresh.epochs().get(0).trainLoss()));
  }

  @Test
  void aDamagedCheckpointFallsBackToTrainingFromScratch() throws Exception {
    Assumptions.assumeTrue(checkpoints(), "this trainer keeps no checkpoints");
    Path saved = Files.createTempDirectory("hps-checkpoint-");
    trainer().train(checkpointed(params(good()).with("epochs", 2L), saved, null), epoch -> true);
    try (var files = Files.list(saved)) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // cut short, and a stray word
        Files.writeString(file, "#damaged", java.nio.file.StandardOpenOption.APPEND);
      }
    }
    Outcome child = trainer().train(checkpointed(params(good()), null, new Checkpoint(saved, 2)), epoch -> true);
    assertThat(child.status()).isEqualTo(Status.COMPLETE);
    assertThat(child.epochs()).extracting(Epoch::epoch).containsExactly(1, 2, 3, 4);
    assertThat(child.info()).containsKey("resumeFailed");
  }

  /** The trial of {@code params}, saving into {@code saveTo} and resuming from {@code from} (each may be null). */
  Trial checkpointed(Params params, Path saveTo, Checkpoint from) {
    return new ForwardingTrial(trial(params)) {
      @Override
      public java.util.Optional<Path> checkpointDirectory() {
        return java.util.Optional.ofNullable(saveTo);
      }

      @Override
      public java.util.Optional<Checkpoint> resumeFrom() {
        return java.util.Optional.ofNullable(from);
      }
    };
  }

  @Test
  void parametersItCannotTrainWithAreRefused() {
    TrainerParameters declared = trainer().parameters();
    if (declared.declared()) {
      // The worker checks every setting against the declaration before it trains (and the master the space).
      assertThat(declared.problems(params(bad()))).as("what its declaration says of " + bad()).isNotEmpty();
    } else {
      assertThatThrownBy(() -> run(bad(), epoch -> true)).isInstanceOf(Exception.class);
    }
  }

  @Test
  void itsDeclarationAcceptsWhatItTrainsWellWith() {
    assertThat(trainer().parameters().problems(params(good()))).isEmpty();
    assertThat(trainer().parameters().problems(params(diverging()))).isEmpty();
  }
}
