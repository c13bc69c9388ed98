package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code stop/<id>.json}: the master asks the worker training a setting to stop after the current
 * epoch; the worker publishes the epochs so far as a {@code stopped} result with this reason. The
 * request holds for one run of the setting: the {@code worker} and {@code attempt} of the progress file
 * it was judged on. A worker ignores a request that names another worker or attempt (a request left
 * over from a run that was handed back or whose lease expired); absent fields match any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StopRequest(int schema, String id, String reason, int afterEpoch, Instant at, String worker,
    Integer attempt) {
  public StopRequest {
    Ids.schema(schema);
    Ids.check("setting id", id);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  public StopRequest(int schema, String id, String reason, int afterEpoch, Instant at) {
    this(schema, id, reason, afterEpoch, at, null, null);
  }

  /** Whether this request is for the run of {@code worker} at {@code attemptNumber}. */
  public boolean appliesTo(String workerId, int attemptNumber) {
    return (worker == null || worker.equals(workerId)) && (attempt == null || attempt == attemptNumber);
  }
}
