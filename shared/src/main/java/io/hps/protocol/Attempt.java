package io.hps.protocol;

import java.time.Instant;
import java.util.Objects;

/** An earlier attempt at a setting that produced no result, and why. */
public record Attempt(int attempt, String worker, String reason, Instant at) {
  public Attempt {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }
}
