package io.hps.cli;

import io.hps.study.StudyDirectory;
import io.hps.trainer.Trial;
import io.hps.worker.TrainerRegistry;
import io.hps.worker.Worker;
import io.hps.worker.WorkerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps worker}: claims and trains settings of a study until it is finished. */
@Command(name = "worker", header = "Claim settings from a study directory, train them, publish results.",
    mixinStandardHelpOptions = true,
    description = {"Poll a study directory, claim a setting by atomic rename, train it, publish its result;",
        "repeat until the study is finished. SIGTERM (Ctrl-C) hands the setting in hand back.",
        "Start one per GPU (--device) or CPU share, on any machine that sees the directory."})
final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory.")
  Path study;

  @Option(names = "--id", paramLabel = "ID", description = "Worker id, unique in the study (default: host-pid).")
  String id;

  @Option(names = "--device", paramLabel = "N", description = "GPU to use (CUDA builds); CPU when absent.")
  String device;

  @Option(names = "--idle-exit", paramLabel = "SECONDS", defaultValue = "0",
      description = "Exit after this long with nothing to claim; 0: only when the study is finished (default).")
  double idleExit;

  @Option(names = "--poll-ms", defaultValue = "50", description = "Polling interval when idle (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Option(names = "--data-dir", paramLabel = "DIR", description = {"Data directory for the trainers: MNIST for the",
      "built-in ones, fetched there on first use (default: $HPS_DATA_DIR/mnist, else ~/.hps/data/mnist)."})
  Path dataDir;

  @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
      description = "CPU threads for the trainers (ND4J; HPS_THREADS for programs); 0: their default, all cores.")
  int threads;

  @Mixin
  PluginOptions plugins;

  @Option(names = "--max-settings", paramLabel = "N", defaultValue = "0",
      description = "Exit after publishing N results; 0: no limit (default).")
  int maxSettings;

  @Mixin
  IoPatienceOption ioPatience;

  @Spec
  CommandSpec spec;

  /**
   * SameDiff prints progress lines on System.out; the worker's own log goes through picocli's writer,
   * which holds the original stream, so library output to System.out is dropped.
   */
  private static void quietLibraries() {
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = TimestampedLog.of(spec.commandLine().getOut(), Clock.systemUTC());
    if (threads < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be 0 or more");
    }
    WorkerOptions options;
    try {
      options = new WorkerOptions(id == null ? WorkerOptions.defaultId() : id, device, pollMillis, idleExit,
          maxSettings, (dataDir == null ? Trial.defaultDataDirectory() : dataDir).toAbsolutePath(), threads,
          ioPatience.duration());
    } catch (IllegalArgumentException e) { // a bad --id, --poll-ms, --idle-exit or --max-settings: a usage error
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    quietLibraries();
    TrainerRegistry trainers = plugins.registry();
    out.printf("worker %s: trainers %s%n", options.id(), trainers.describe());
    Worker worker = new Worker(new StudyDirectory(study), options, trainers, Clock.systemUTC(), out,
        io.hps.worker.Progress.forTerminal());
    return Shutdown.whileRunning(() -> worker.stop(Duration.ofSeconds(30)), () -> {
      int done = worker.run();
      out.printf("worker %s: published %d results%n", options.id(), done);
      return 0;
    });
  }
}
