package io.hps.master;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lease bookkeeping by observation: a claim is alive while its change stamp (a claim file's modification
 * time, the time of an in-memory heartbeat) keeps changing. Time is measured on the master's own monotonic clock (nanoseconds, as {@link System#nanoTime})
 * from the moment a change was seen, so neither other hosts' clocks nor a step of this host's wall clock
 * (NTP, a suspended VM's catch-up) expires a lease; a restarted master grants every claim a full lease again.
 */
final class Leases {
  private record Seen(Object stamp, long at) {}

  private final long lease;
  private final Map<Object, Seen> seen = new HashMap<>();

  Leases(Duration lease) {
    this.lease = lease.toNanos();
  }

  /**
   * Records that claim {@code key} has change stamp {@code stamp} at monotonic time {@code now}; true when
   * it has not changed for a lease.
   */
  boolean expired(Object key, Object stamp, long now) {
    Seen last = seen.get(key);
    if (last == null || !last.stamp().equals(stamp)) {
      seen.put(key, new Seen(stamp, now));
      return false;
    }
    return now - last.at() > lease;
  }

  /** Seconds since the claim last changed. */
  double silentSeconds(Object key, long now) {
    Seen last = seen.get(key);
    return last == null ? 0 : (now - last.at()) / 1e9;
  }

  /** Forgets claims that are no longer there. */
  void retain(Set<?> present) {
    seen.keySet().retainAll(present);
  }
}
