package io.hps.master;

import io.hps.study.StudyScan.ClaimFile;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lease bookkeeping by observation: a claim is alive while its file's modification time keeps
 * changing. Time is measured on the master's own monotonic clock (nanoseconds, as {@link System#nanoTime})
 * from the moment a change was seen, so neither other hosts' clocks nor a step of this host's wall clock
 * (NTP, a suspended VM's catch-up) expires a lease; a restarted master grants every claim a full lease again.
 */
final class Leases {
  private record Seen(FileTime modified, long at) {}

  private final long lease;
  private final Map<Path, Seen> seen = new HashMap<>();

  Leases(Duration lease) {
    this.lease = lease.toNanos();
  }

  /** Records what the scan saw at monotonic time {@code now}; true when the claim has not changed for a lease. */
  boolean expired(ClaimFile claim, long now) {
    Seen last = seen.get(claim.file());
    if (last == null || !last.modified().equals(claim.modified())) {
      seen.put(claim.file(), new Seen(claim.modified(), now));
      return false;
    }
    return now - last.at() > lease;
  }

  /** Seconds since the claim last changed. */
  double silentSeconds(ClaimFile claim, long now) {
    Seen last = seen.get(claim.file());
    return last == null ? 0 : (now - last.at()) / 1e9;
  }

  /** Forgets claims that are no longer there. */
  void retain(Set<Path> present) {
    seen.keySet().retainAll(present);
  }
}
