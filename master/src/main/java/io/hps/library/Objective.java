package io.hps.library;

import io.hps.protocol.Epoch;
import io.hps.space.Params;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trial;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a {@link Study} minimises: trains the setting {@code trial} describes and hands each finished epoch
 * to {@code sink}, exactly as a {@link io.hps.trainer.Trainer} does (the same {@link Trial}, the same
 * early stopping: when the sink answers {@code false}, return {@link Outcome#stopped}). The study minimises
 * the last epoch's {@code valError}, a fraction in [0, 1]. Throwing fails the setting with the message.
 */
@FunctionalInterface
public interface Objective {
  Outcome train(Trial trial, EpochSink sink) throws Exception;

  /**
   * A plain function of the parameters: one evaluation, reported as one epoch whose {@code valError} (and
   * both losses) is the function's value, which must lie in [0, 1] (NaN: diverged).
   */
  static Objective of(ToDoubleFunction<Params> function) {
    return (trial, sink) -> {
      long start = System.nanoTime();
      double value = function.applyAsDouble(trial.params());
      Epoch epoch = new Epoch(1, value, value, value, (System.nanoTime() - start) / 1e9);
      sink.accept(epoch);
      return Double.isNaN(value) ? Outcome.diverged("the objective was NaN", List.of(epoch), Map.of())
          : Outcome.complete(List.of(epoch), Map.of());
    };
  }
}
