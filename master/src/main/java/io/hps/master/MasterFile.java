package io.hps.master;

import io.hps.protocol.MasterPhase;
import io.hps.protocol.MasterStatus;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code master.json}: the running master's heartbeat and phase ({@code running}, {@code finished},
 * {@code stopped}). It keeps two masters off one study: a master refuses to start while another one's
 * file says {@code running} and that master is alive (same host: its process exists; another host:
 * its heartbeat is younger than {@link #STALE}).
 */
final class MasterFile {
  static final Duration STALE = Duration.ofSeconds(15);

  private final StudyDirectory study;
  private final Clock clock;
  private final String host = ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
  private final long pid = ProcessHandle.current().pid();
  private final String owner = Long.toHexString(new java.security.SecureRandom().nextLong());
  /** How long a starting master waits before it reads its ownership back. */
  static final Duration SETTLE = Duration.ofMillis(200);
  private Instant started;
  private long lastBeat;

  MasterFile(StudyDirectory study, Clock clock) {
    this.study = study;
    this.clock = clock;
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

  private boolean alive(MasterStatus other) {
    if (other.host().equals(host)) {
      return other.pid() != pid && ProcessHandle.of(other.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
    return Duration.between(other.updated(), clock.instant()).compareTo(STALE) < 0;
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
