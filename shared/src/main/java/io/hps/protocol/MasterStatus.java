package io.hps.protocol;

import java.time.Instant;

/**
 * {@code master.json}: the running master's heartbeat. A second master refuses to start on the same
 * study while this file is fresh, and {@code hps status} shows the phase.
 */
public record MasterStatus(int schema, String host, long pid, Instant started, Instant updated, String phase) {
  public MasterStatus {
    Ids.schema(schema);
  }
}
