package io.hps.cli;

import io.hps.trainer.Model;
import io.hps.trainer.SyntheticTrainer;
import io.hps.trainer.Trainer;
import java.util.function.Function;

/** The trainer for each model a setting can name; one instance of each per worker JVM. */
final class Trainers implements Function<Model, Trainer> {
  private final SyntheticTrainer synthetic = new SyntheticTrainer();

  @Override
  public Trainer apply(Model model) {
    switch (model) {
      case SYNTHETIC:
        return synthetic;
      case CNN:
      case DENSE:
        throw new IllegalArgumentException("model '" + model.name().toLowerCase() + "' needs the DL4J trainers,"
            + " which this build does not include yet");
      default:
        throw new AssertionError(model);
    }
  }
}
