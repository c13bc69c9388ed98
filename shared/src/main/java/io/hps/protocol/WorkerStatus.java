package io.hps.protocol;

import java.time.Instant;

/**
 * {@code workers/<id>.json}: what a worker is doing, rewritten at each heartbeat and epoch; for
 * {@code hps status} and timelines only (leases live on the claim files). {@code state} is
 * {@code idle}, {@code training} or {@code exited}; {@code setting} and {@code epoch} may be null.
 */
public record WorkerStatus(int schema, String worker, String host, long pid, String device, Instant started,
    Instant updated, WorkerState state, String setting, Integer epoch, int completed) {
  public WorkerStatus {
    Ids.schema(schema);
    Ids.check("worker id", worker);
  }
}
