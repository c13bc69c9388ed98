package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.simulate.SimulatedClock;
import io.hps.space.Params;
import io.hps.study.Claim;
import io.hps.study.FileWorkerQueue;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Both sides of one study's queue, for the contract suites: the study directory or memory. Also the
 * builders the suites share (settings, batches, results).
 */
abstract class Queues {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(10);
  final SimulatedClock clock = new SimulatedClock(START);
  final StringWriter log = new StringWriter();

  abstract MasterQueue master();

  abstract WorkerQueue worker(String id) throws IOException;

  /** The master's queue as a restarted master finds it. */
  abstract MasterQueue restarted();

  /** Why each quarantined input was refused (one line each). */
  abstract List<String> quarantined() throws IOException;

  /** The study directory's queues, in a fresh folder. */
  static final class Files extends Queues {
    final StudyDirectory study;
    final FileMasterQueue master;

    Files(Path root, int retries) throws IOException {
      study = new StudyDirectory(root).create();
      master = new FileMasterQueue(study, LEASE, retries, clock, new PrintWriter(log, true));
    }

    @Override
    MasterQueue master() {
      return master;
    }

    @Override
    WorkerQueue worker(String id) throws IOException {
      return new FileWorkerQueue(study, id, clock);
    }

    @Override
    MasterQueue restarted() {
      return new FileMasterQueue(study, LEASE, 2, clock, new PrintWriter(log, true));
    }

    @Override
    List<String> quarantined() throws IOException {
      List<String> reasons = new ArrayList<>();
      for (String name : Quarantine.list(study)) {
        Path reason = study.quarantine().resolve(name + Quarantine.REASON_SUFFIX);
        reasons.add(name + ": " + java.nio.file.Files.readString(reason).strip());
      }
      return reasons;
    }
  }

  /** The in-memory queues. */
  static final class Memory extends Queues {
    final InMemoryQueue queue;

    Memory(int retries) {
      queue = new InMemoryQueue(LEASE, retries, clock);
    }

    @Override
    MasterQueue master() {
      return queue;
    }

    @Override
    WorkerQueue worker(String id) {
      return queue.worker(id);
    }

    @Override
    MasterQueue restarted() {
      return queue;
    }

    @Override
    List<String> quarantined() {
      return queue.quarantined();
    }
  }

  static Setting setting(int i) {
    return new Setting(String.format("s%06d", i), i, 0, 0, START, new Params(Map.of("lr", 0.01 * (i + 1),
        "epochs", 3)));
  }

  /** Proposes settings {@code from} .. {@code to - 1} as batch {@code number}. */
  void propose(int number, int from, int to) throws IOException {
    List<Setting> settings = new ArrayList<>();
    for (int i = from; i < to; i++) {
      settings.add(setting(i));
    }
    master().propose(new Batch(1, number, clock.instant(), 0, settings));
  }

  Result result(Claim claim, double error) {
    return Result.of(claim.setting(), Status.COMPLETE, null, claim.worker(), claim.claimedAt(), clock.instant(),
        List.of(new Epoch(1, 1.0, 1.0, error, 1.0)), Map.of());
  }

  /** One look a second later: every part of the file queue is looked at once a second. */
  MasterQueue.Look look() throws IOException {
    clock.advance(Duration.ofMillis(1001));
    return master().look(clock.instant());
  }

  /** Results accepted over {@code looks} looks. */
  List<Result> accepted(int looks) throws IOException {
    List<Result> all = new ArrayList<>();
    for (int i = 0; i < looks; i++) {
      all.addAll(look().accepted());
    }
    return all;
  }
}
