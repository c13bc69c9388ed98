package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * {@code progress/<id>.json}: the epochs a worker has finished of the setting it trains, rewritten after
 * each epoch when the study has a stopping rule, so that the master can judge the partial curve.
 * {@code attempt} (absent in files of older workers) is the attempt being trained.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(int schema, String id, String worker, int plannedEpochs, List<Epoch> epochs,
    Integer attempt) {
  public Progress {
    Ids.schema(schema);
    Ids.check("setting id", id);
    Objects.requireNonNull(worker, "worker");
    epochs = List.copyOf(epochs);
  }

  public Progress(int schema, String id, String worker, int plannedEpochs, List<Epoch> epochs) {
    this(schema, id, worker, plannedEpochs, epochs, null);
  }

  /** The number of the last epoch reported (a resumed run's count on from its checkpoint's); 0 when none. */
  public int lastEpoch() {
    return epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
  }
}
