package io.hps.simulate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's clock: time moves only when the simulation moves it. */
final class SimulatedClock extends Clock {
  private Instant now;

  SimulatedClock(Instant start) {
    this.now = start;
  }

  void set(Instant instant) {
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
