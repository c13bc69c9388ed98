package io.hps.dl4j;

import io.hps.space.Params;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerContract;
import io.hps.trainer.Trial;
import java.util.Map;

/** The trainer contract for the exercise CNN, on the tiny MNIST subset shipped in test-data. */
class CnnTrainerContractTest extends TrainerContract {
  static final Trainer CNN = new CnnTrainer();

  @Override
  protected Trainer trainer() {
    return CNN;
  }

  @Override
  protected Trial trial(Params params) {
    return Trial.of(params, CnnTrainerTest.TINY);
  }

  @Override
  protected Map<String, Object> good() {
    return Map.of("nf", 4L, "lr", 0.05, "m", 0.9, "bs", 50L, "trainSize", 300L, "valSize", 100L);
  }

  @Override
  protected Map<String, Object> diverging() {
    return Map.of("nf", 4L, "lr", 1e6, "m", 0.9, "bs", 50L, "trainSize", 300L, "valSize", 100L);
  }

  @Override
  protected Map<String, Object> bad() {
    return Map.of("nf", 0L, "lr", 0.05, "trainSize", 300L, "valSize", 100L);
  }
}
