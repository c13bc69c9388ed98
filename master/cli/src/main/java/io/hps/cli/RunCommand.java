package io.hps.cli;

import io.hps.protocol.StudyConfig;
import io.hps.status.StatusTable;
import io.hps.status.StudyStatus;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps run}: a master and N local worker processes, to the end of the study. */
@Command(name = "run", header = "Run a whole study here: the master plus local worker processes.",
    mixinStandardHelpOptions = true,
    description = {"Run a whole study on this machine: the master in this process and --workers worker",
        "processes beside it. Interrupt it and run the same command again to resume."})
final class RunCommand implements Callable<Integer> {
  @Mixin
  StudyOptions studyOptions;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N", description = "Local worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--poll-ms", defaultValue = "50", description = "Polling interval of master and workers (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory for the workers (see hps worker --help).")
  java.nio.file.Path dataDir;

  @Mixin
  PluginOptions plugins;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (workers < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--workers must be at least 1");
    }
    PrintWriter out = TimestampedLog.of(spec.commandLine().getOut(), java.time.Clock.systemUTC());
    var registry = plugins.registry();
    studyOptions.check = c -> LocalRun.checkTrainers(c, registry);
    StudyConfig config = studyOptions.resolve(workers, out);
    StudyDirectory study = new StudyDirectory(studyOptions.study);
    LocalRun.run(study, config, LocalRun.workerArgs(workers, List.of(), dataDir, pollMillis, plugins.workerArgs()),
        pollMillis, out);
    StudyStatus status = StudyStatus.of(study);
    StatusTable.print(status, out, Instant.now());
    return LocalRun.exitCode(status, out);
  }
}
