package io.hps.master;

import io.hps.study.StudyScan.ClaimFile;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lease bookkeeping by observation: a claim is alive while its file's modification time keeps
 * changing. Time is measured on the master's own clock from the moment a change was seen, so clocks of
 * other hosts never matter; a restarted master grants every claim a full lease again.
 */
final class Leases {
  private record Seen(FileTime modified, Instant at) {}

  private final Duration lease;
  private final Map<Path, Seen> seen = new HashMap<>();

  Leases(Duration lease) {
    this.lease = lease;
  }

  /** Records what the scan saw; true when the claim has not changed for a whole lease. */
  boolean expired(ClaimFile claim, Instant now) {
    Seen last = seen.get(claim.file());
    if (last == null || !last.modified().equals(claim.modified())) {
      seen.put(claim.file(), new Seen(claim.modified(), now));
      return false;
    }
    return Duration.between(last.at(), now).compareTo(lease) > 0;
  }

  /** Seconds since the claim last changed. */
  double silentSeconds(ClaimFile claim, Instant now) {
    Seen last = seen.get(claim.file());
    return last == null ? 0 : Duration.between(last.at(), now).toMillis() / 1000.0;
  }

  /** Forgets claims that are no longer there. */
  void retain(Set<Path> present) {
    seen.keySet().retainAll(present);
  }
}
