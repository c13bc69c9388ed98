package io.hps.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code stop/<id>.json}: the master asks the worker training a setting to stop after the current
 * epoch; the worker publishes the epochs so far as a {@code stopped} result with this reason.
 */
public record StopRequest(int schema, String id, String reason, int afterEpoch, Instant at) {
  public StopRequest {
    Ids.schema(schema);
    Ids.check("setting id", id);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }
}
