package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * {@code master.json}: the running master's heartbeat. A second master refuses to start on the same
 * study while this file is fresh, and {@code hps status} shows the phase. {@code owner} is a random
 * token the master that holds the study writes (absent in files of older or foreign masters): a master
 * that finds another token here has been replaced (by {@code --force}) and stops.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MasterStatus(int schema, String host, long pid, Instant started, Instant updated, MasterPhase phase,
    String owner) {
  public MasterStatus {
    Ids.schema(schema);
  }

  public MasterStatus(int schema, String host, long pid, Instant started, Instant updated, MasterPhase phase) {
    this(schema, host, pid, started, updated, phase, null);
  }
}
