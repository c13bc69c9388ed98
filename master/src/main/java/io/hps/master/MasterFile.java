package io.hps.master;

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
  private Instant started;
  private long lastBeat;

  MasterFile(StudyDirectory study, Clock clock) {
    this.study = study;
    this.clock = clock;
  }

  /** Takes the study for this master, or explains who holds it. */
  void claim(boolean force, double heartbeatSeconds) throws IOException {
    Optional<MasterStatus> other = study.readMaster();
    if (!force && other.isPresent() && "running".equals(other.get().phase()) && alive(other.get())) {
      throw new IOException("another master (" + other.get().host() + " pid " + other.get().pid() + ") is running"
          + " this study, last heartbeat " + other.get().updated() + ". Stop it first, or pass --force if it is"
          + " gone.");
    }
    started = clock.instant();
    write("running");
  }

  private boolean alive(MasterStatus other) {
    if (other.host().equals(host)) {
      return other.pid() != pid && ProcessHandle.of(other.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
    return Duration.between(other.updated(), clock.instant()).compareTo(STALE) < 0;
  }

  /** Rewrites the heartbeat at most once a second. */
  void beat(String phase) throws IOException {
    if (System.nanoTime() - lastBeat > 1_000_000_000L) {
      write(phase);
    }
  }

  void write(String phase) throws IOException {
    lastBeat = System.nanoTime();
    DurableFiles.writeJson(study.master(), new MasterStatus(1, host, pid, started, clock.instant(), phase), false);
  }
}
