package io.hps.simulate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when moved: the simulator's, and the tests'. Never goes back. */
public final class SimulatedClock extends Clock {
  private volatile Instant now;

  public SimulatedClock(Instant start) {
    this.now = start;
  }

  public void advance(java.time.Duration d) {
    set(now.plus(d));
  }

  public void set(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("simulated time cannot go back from " + now + " to " + instant);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
