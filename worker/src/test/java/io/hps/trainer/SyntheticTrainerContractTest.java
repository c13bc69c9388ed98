package io.hps.trainer;

import io.hps.synthetic.SyntheticTrainer;
import java.util.Map;

class SyntheticTrainerContractTest extends TrainerContract {
  @Override
  protected Trainer trainer() {
    return new SyntheticTrainer();
  }

  @Override
  protected Map<String, Object> good() {
    return Map.of("lr", 0.05, "m", 0.9, "nf", 32L, "bs", 100L);
  }

  @Override
  protected Map<String, Object> diverging() {
    return Map.of("lr", 2.0, "m", 0.9, "nf", 32L, "bs", 100L);
  }

  @Override
  protected Map<String, Object> bad() {
    return Map.of("lr", -1.0);
  }
}
