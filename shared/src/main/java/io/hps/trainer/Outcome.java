package io.hps.trainer;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import java.util.List;
import java.util.Map;

/**
 * What a trainer produced: {@code complete}, {@code diverged} or {@code stopped}, with every epoch it
 * trained and free facts for the result's {@code info} (for example {@code numFreeParameters}). Trainers fail
 * by throwing, never with a {@code failed} outcome.
 */
public record Outcome(Status status, String reason, List<Epoch> epochs, Map<String, Object> info) {
  public Outcome {
    if (status == Status.FAILED) {
      throw new IllegalArgumentException("trainers fail by throwing, not with a failed outcome");
    }
    epochs = List.copyOf(epochs);
    info = Map.copyOf(info);
  }

  /** Every planned epoch ran. */
  public static Outcome complete(List<Epoch> epochs, Map<String, Object> info) {
    return new Outcome(Status.COMPLETE, null, epochs, info);
  }

  /** Ended early because the sink said so (or the program ended early); {@code reason} says why. */
  public static Outcome stopped(String reason, List<Epoch> epochs, Map<String, Object> info) {
    return new Outcome(Status.STOPPED, reason, epochs, info);
  }

  /** A loss became NaN or infinite; the epochs up to then are kept. */
  public static Outcome diverged(String reason, List<Epoch> epochs, Map<String, Object> info) {
    return new Outcome(Status.DIVERGED, reason, epochs, info);
  }
}
