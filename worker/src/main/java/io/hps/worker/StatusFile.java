package io.hps.worker;

import io.hps.protocol.WorkerState;
import io.hps.protocol.WorkerStatus;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Keeps {@code workers/<id>.json} up to date. It is a view for {@code hps status}, not part of the
 * protocol: written at most once a second, not forced to disk, and write errors are ignored.
 */
final class StatusFile {
  private final Path file;
  private final WorkerOptions options;
  private final Clock clock;
  private final Instant started;
  private WorkerState state = WorkerState.IDLE;
  private String setting;
  private Integer epoch;
  private int completed;
  private boolean dirty = true;
  private long lastWrite;

  StatusFile(StudyDirectory study, WorkerOptions options, Clock clock) {
    this.file = study.workers().resolve(options.id() + ".json");
    this.options = options;
    this.clock = clock;
    this.started = clock.instant();
    flush(true);
  }

  synchronized void training(String id, Integer epochNumber) {
    set(WorkerState.TRAINING, id, epochNumber);
  }

  synchronized void idle() {
    if (System.nanoTime() - lastWrite > REFRESH_NANOS) {
      dirty = true; // an idle worker still says it is alive, so hps status can tell a gone one
    }
    set(WorkerState.IDLE, null, null);
  }

  /** How often a living worker rewrites the file at the least (training: each heartbeat too). */
  static final long REFRESH_NANOS = 10_000_000_000L;

  synchronized void published() {
    completed++;
    dirty = true;
  }

  synchronized int completed() {
    return completed;
  }

  /** Called by the heartbeat: writes pending changes and refreshes {@code updated}. */
  synchronized void touch() {
    dirty = true;
    flush(false);
  }

  synchronized void exited() {
    set(WorkerState.EXITED, null, null);
    flush(true);
  }

  private void set(WorkerState newState, String newSetting, Integer newEpoch) {
    if (newState != state || !java.util.Objects.equals(newSetting, setting)
        || !java.util.Objects.equals(newEpoch, epoch)) {
      state = newState;
      setting = newSetting;
      epoch = newEpoch;
      dirty = true;
    }
    flush(false);
  }

  private void flush(boolean now) {
    long time = System.nanoTime();
    if (!dirty || (!now && time - lastWrite < 1_000_000_000L)) {
      return;
    }
    lastWrite = time;
    dirty = false;
    try {
      Files.createDirectories(file.getParent());
      DurableFiles.replace(file, new WorkerStatus(1, options.id(), io.hps.study.ThisHost.name(),
          ProcessHandle.current().pid(), options.device(), started, clock.instant(), state, setting, epoch, completed),
          false);
    } catch (IOException | RuntimeException e) {
      dirty = true;
    }
  }
}
