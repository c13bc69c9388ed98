package io.hps.dl4j;

import io.hps.space.Params;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerContract;
import io.hps.trainer.Trial;
import java.util.Map;

/** The trainer contract for the BUTTER dense nets, on the tiny MNIST subset shipped in test-data. */
class DenseTrainerContractTest extends TrainerContract {
  static final Trainer DENSE = new DenseTrainer();

  @Override
  protected Trainer trainer() {
    return DENSE;
  }

  @Override
  protected Trial trial(Params params) {
    return Trial.of(params, CnnTrainerTest.TINY);
  }

  @Override
  protected Map<String, Object> good() {
    return Map.of("shape", "rectangle", "depth", 2L, "size", 5000L, "optimizer", "adam", "lr", 0.003, "bs", 64L,
        "trainSize", 300L, "valSize", 100L);
  }

  @Override
  protected Map<String, Object> diverging() {
    return Map.of("shape", "rectangle", "depth", 2L, "size", 5000L, "optimizer", "sgd", "m", 0.9, "lr", 1e30, "bs", 64L,
        "trainSize", 300L, "valSize", 100L);
  }

  @Override
  protected Map<String, Object> bad() {
    return Map.of("shape", "rectangle", "depth", 2L, "size", 5000L, "bs", 0L, "trainSize", 300L, "valSize", 100L);
  }
}
