package io.hps.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every trainer promises, through the public API only ({@link Trial#of}): the sink's "stop" ends
 * training after that epoch; the same parameters and seed give the same curve; a non-finite loss ends
 * as {@code diverged}; parameters it cannot train with throw. Each trainer's test extends this (the
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

  @Test
  void parametersItCannotTrainWithThrow() {
    assertThatThrownBy(() -> run(bad(), epoch -> true)).isInstanceOf(Exception.class);
  }
}
