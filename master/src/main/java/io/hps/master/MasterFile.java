package io.hps.master;

import io.hps.protocol.MasterPhase;
import io.hps.protocol.MasterStatus;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code master.json}: the running master's heartbeat and phase ({@code running}, {@code finished},
 * {@code stopped}). It keeps two masters off one study: a master refuses to start while another one's
 * file says {@code running} and that master is alive (same host: its process exists; another host: the
 * file changes while this one watches it, for up to {@link #STALE}). Another host's clock may be minutes
 * off ours, so its timestamps are never compared with our clock: a master 10 minutes behind would look
 * dead while it runs, one 10 minutes ahead alive for 10 minutes after it died.
 */
final class MasterFile {
  static final Duration STALE = Duration.ofSeconds(15);

  private final StudyDirectory study;
  private final Clock clock;
  private final java.io.PrintWriter log;
  private final String host = io.hps.study.ThisHost.name();
  private final long pid = ProcessHandle.current().pid();
  private final String owner = Long.toHexString(new java.security.SecureRandom().nextLong());
  /** How long a starting master waits before it reads its ownership back. */
  static final Duration SETTLE = Duration.ofMillis(200);
  /** How often a starting master reads another host's master.json while it watches for a heartbeat. */
  static final Duration WATCH = Duration.ofMillis(250);
  private Instant started;
  private long lastBeat;

  MasterFile(StudyDirectory study, Clock clock, java.io.PrintWriter log) {
    this.study = study;
    this.clock = clock;
    this.log = log;
  }

  /**
   * Takes the study for this master, or explains who holds it. Ownership is written, then read back
   * after a moment: of two masters starting at once, the one whose token is not there gives way.
   */
  void claim(boolean force) throws IOException {
    Optional<MasterStatus> other = study.readMaster();
    if (!force && other.isPresent() && other.get().phase() == MasterPhase.RUNNING && alive(other.get())) {
      throw new io.hps.study.Patience.Fatal("another master (" + other.get().host() + " pid " + other.get().pid()
          + ") is running"
          + " this study, last heartbeat " + other.get().updated() + ". Stop it first, or pass --force if it is"
          + " gone.");
    }
    started = clock.instant();
    write(MasterPhase.RUNNING);
    try {
      Thread.sleep(SETTLE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while taking the study");
    }
    verify();
  }

  /**
   * Fails with {@link MasterQueue.Replaced} when master.json holds another master's token: a master started with
   * {@code --force} (or at the same moment) owns the study now.
   */
  void verify() throws IOException {
    Optional<MasterStatus> now = study.readMaster();
    if (now.isPresent() && now.get().owner() != null && !now.get().owner().equals(owner)) {
      throw new MasterQueue.Replaced("another master (" + now.get().host() + " pid " + now.get().pid() + ") took this study"
          + " over; this one stops proposing and exits");
    }
  }

  private boolean alive(MasterStatus other) throws IOException {
    if (other.host().equals(host)) {
      return other.pid() != pid && io.hps.study.ThisHost.running(other.pid());
    }
    return beating(other);
  }

  /**
   * Whether another host's master still rewrites master.json (every second while it runs): watched for up to
   * {@link #STALE}, its content compared, never its timestamps with our clock.
   */
  private boolean beating(MasterStatus seen) throws IOException {
    log.printf("master: master.json says a master on %s (pid %d) runs this study; watching its heartbeat for up to"
        + " %d s (clocks of different machines are not compared)%n", seen.host(), seen.pid(), STALE.toSeconds());
    log.flush();
    long end = System.nanoTime() + STALE.toNanos();
    while (System.nanoTime() < end) {
      try {
        Thread.sleep(WATCH.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while watching master.json");
      }
      Optional<MasterStatus> now;
      try {
        now = study.readMaster();
      } catch (IOException unreadable) {
        continue; // being replaced as we read it (GlusterFS: "Stale file handle"): read it again
      }
      if (now.isEmpty() || !now.get().equals(seen)) {
        return now.isPresent() && now.get().phase() == MasterPhase.RUNNING;
      }
    }
    log.printf("master: no heartbeat from %s in %d s: taking the study over%n", seen.host(), STALE.toSeconds());
    return false;
  }

  /** Checks ownership and rewrites the heartbeat, at most once a second. */
  void beat(MasterPhase phase) throws IOException {
    if (System.nanoTime() - lastBeat > 1_000_000_000L) {
      verify();
      write(phase);
    }
  }

  void write(MasterPhase phase) throws IOException {
    lastBeat = System.nanoTime();
    DurableFiles.writeJson(study.master(), new MasterStatus(1, host, pid, started, clock.instant(), phase, owner),
        false);
  }
}
