package io.hps.cli;

import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.study.StudyDirectory;
import io.hps.worker.TrainerRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole study on this machine: the master in this process and worker processes beside it, until the
 * study ends (used by {@code hps run} and {@code hps scenario}). Ctrl-C stops the master and hands the
 * workers' settings back, so the same command resumes.
 */
final class LocalRun {
  private LocalRun() {}

  /**
   * The arguments of each of {@code workers} worker processes: the cores shared out as ND4J threads,
   * and with {@code devices}, worker i pinned to device i modulo their number; {@code extra} for all.
   */
  static List<List<String>> workerArgs(int workers, List<String> devices, Path dataDir, long pollMillis,
      List<String> extra) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    List<List<String>> all = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      List<String> args = new ArrayList<>(List.of("--poll-ms", String.valueOf(pollMillis), "--threads",
          String.valueOf(threads)));
      if (dataDir != null) {
        args.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
      }
      if (!devices.isEmpty()) {
        args.addAll(List.of("--device", devices.get(i % devices.size())));
      }
      args.addAll(extra);
      all.add(args);
    }
    return all;
  }

  /**
   * Fails before any worker starts when the study's space names a model none of this machine's trainers
   * declares (the workers start with the same class path), or sets a parameter its trainer does not read
   * or a value it cannot take.
   */
  static void checkTrainers(StudyConfig config, TrainerRegistry trainers) {
    TrainerRegistry.SpaceCheck check = trainers.check(SearchSpace.parse(config.space(), "study.json"));
    if (!check.missing().isEmpty()) {
      throw new IllegalArgumentException("the space's model '" + check.missing().get(0) + "' is not a trainer here;"
          + " this machine has " + trainers.describe() + ", command (built in). Add your trainer's jar with"
          + " --classpath");
    }
    refuse(check);
  }

  /** A space that sets what its trainers cannot take is an error listing every such parameter. */
  static void refuse(TrainerRegistry.SpaceCheck check) {
    if (!check.problems().isEmpty()) {
      throw new io.hps.space.SpaceException("the space does not suit its trainer (nothing was written):\n  - "
          + String.join("\n  - ", check.problems()));
    }
  }

  /** 1, with a line saying so, when every result of the study failed (a bad value, a missing library); else 0. */
  static int exitCode(io.hps.status.StudyStatus status, PrintWriter out) {
    if (status.everyResultFailed()) {
      var first = status.failures().get(0);
      out.printf("every setting failed (%d); %s: %s%n(hps status --study %s lists the reasons)%n", status.failed(),
          first.count() == status.failed() ? "all for one reason" : "the most frequent reason (" + first.count()
          + " settings)", io.hps.status.StatusTable.oneLine(first.reason()), status.study());
      out.flush();
      return 1;
    }
    return 0;
  }

  static void run(StudyDirectory study, StudyConfig config, List<List<String>> workerArgs, long pollMillis,
      PrintWriter out) throws Exception {
    Master master = MasterCommand.master(study.root(), config, new MasterOptions(pollMillis, false), out);
    java.util.concurrent.atomic.AtomicBoolean workersGone = new java.util.concurrent.atomic.AtomicBoolean();
    try (WorkerProcesses processes = new WorkerProcesses(study, workerArgs, out, master::workerEnded)) {
      Thread watcher = new Thread(() -> watch(processes, master, workersGone), "hps-run-watcher");
      watcher.setDaemon(true);
      watcher.start();
      Shutdown.whileRunning(() -> {
        out.println("run: stopping; the workers hand their settings back. Run the same command again to resume.");
        out.flush();
        master.stop();
        processes.stopAll();
      }, () -> master.run().size());
    }
    boolean finished = study.readMaster().map(m -> m.phase() == io.hps.protocol.MasterPhase.FINISHED).orElse(false);
    if (workersGone.get() && !finished) {
      throw new IllegalStateException("every worker ended before the study finished (see " + study.logs().resolve(
          "run-worker-N.log") + "); run the same command again to resume");
    }
  }

  private static void watch(WorkerProcesses processes, Master master, java.util.concurrent.atomic.AtomicBoolean gone) {
    try {
      while (processes.keepAlive()) {
        Thread.sleep(1000);
      }
      gone.set(true);
      master.stop();
    } catch (Exception e) {
      master.stop();
    }
  }
}
