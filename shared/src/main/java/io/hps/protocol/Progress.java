package io.hps.protocol;

import java.util.List;
import java.util.Objects;

/**
 * {@code progress/<id>.json}: the epochs a worker has finished of the setting it trains, rewritten after
 * each epoch when the study has a stopping rule, so that the master can judge the partial curve.
 */
public record Progress(int schema, String id, String worker, int plannedEpochs, List<Epoch> epochs) {
  public Progress {
    Ids.schema(schema);
    Ids.check("setting id", id);
    Objects.requireNonNull(worker, "worker");
    epochs = List.copyOf(epochs);
  }
}
