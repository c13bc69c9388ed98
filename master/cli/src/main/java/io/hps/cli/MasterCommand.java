package io.hps.cli;

import io.hps.master.Master;
import io.hps.master.MasterOptions;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps master}: runs the master of a study until every setting has its result. */
@Command(name = "master", header = "Create or resume a study and drive it to its end.",
    mixinStandardHelpOptions = true,
    description = {"Create or resume a study and drive it to the end: write settings in batches, wait for",
        "their results, expire the leases of silent workers. Start workers with 'hps worker'.",
        "Kill it at any time and run the same command again: it resumes from the directory."})
final class MasterCommand implements Callable<Integer> {
  @Mixin
  StudyOptions studyOptions;

  @Option(names = "--poll-ms", defaultValue = "50", description = "Scan interval when nothing happens (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Option(names = "--force", description = {"Take over a study whose master.json looks alive; the master running",
      "there sees it at its next heartbeat, stops proposing and exits."})
  boolean force;

  @Mixin
  IoPatienceOption ioPatience;

  @Mixin
  PluginOptions plugins;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = TimestampedLog.of(spec.commandLine().getOut(), Clock.systemUTC());
    java.time.Duration patience = ioPatience.duration(); // a usage error before anything is written
    // The trainers this machine has (hps's own, --classpath) check the space's parameters before it is
    // written; a model that only the workers have is theirs to check, setting by setting.
    var registry = plugins.registry();
    studyOptions.check = c -> {
      var check = registry.check(c.searchSpace());
      LocalRun.refuse(check);
      check.missing().forEach(m -> out.printf("note: no trainer '%s' on this machine: the workers check its"
          + " parameters before training each setting%n", m));
    };
    // Creating or resuming reads and writes the study: I/O errors there are retried like the master's own.
    StudyConfig config = new io.hps.study.Patience(patience, out, "master").call("creating or resuming the study",
        () -> studyOptions.resolve(4, out));
    Master master = master(studyOptions.study, config, new MasterOptions(pollMillis, force, patience), out);
    return Shutdown.whileRunning(master::stop, () -> {
      int results = master.run().size();
      out.printf("%d results in %s%n", results, studyOptions.study);
      // Read with the same patience as the master's own I/O: a flaky disk must not turn a finished study into exit 1.
      var status = new io.hps.study.Patience(patience, out, "master").call("reading the results",
          () -> io.hps.status.StudyStatus.of(new StudyDirectory(studyOptions.study)));
      status.failures().stream().limit(3).forEach(f -> out.printf("failed: %d x %s%n", f.count(),
          io.hps.status.StatusTable.oneLine(f.reason())));
      return LocalRun.exitCode(status, out);
    });
  }

  /** The master of a study, with the strategy its configuration names. */
  static Master master(Path study, StudyConfig config, MasterOptions options, PrintWriter out) {
    return Master.of(new StudyDirectory(study), config, Clock.systemUTC(), out, options);
  }
}
