package io.hps.trainer;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import java.util.List;
import java.util.Map;

/** What a trainer produced: complete, diverged or stopped, with its epochs and facts such as sizes. */
public record Outcome(Status status, String reason, List<Epoch> epochs, Map<String, Object> info) {
  public Outcome {
    if (status == Status.FAILED) {
      throw new IllegalArgumentException("trainers fail by throwing, not with a failed outcome");
    }
    epochs = List.copyOf(epochs);
    info = Map.copyOf(info);
  }
}
