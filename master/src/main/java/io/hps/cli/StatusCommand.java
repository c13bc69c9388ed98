package io.hps.cli;

import io.hps.json.Json;
import io.hps.status.StatusTable;
import io.hps.status.StudyStatus;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps status}: counts, best result, workers and quarantined files of a study. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a study: settings pending, running, complete, diverged, failed, quarantined; the best"
        + " result; the workers.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory.")
  Path study;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StudyStatus status = StudyStatus.of(StudyDirectory.existing(study));
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(status));
      out.flush();
    } else {
      StatusTable.print(status, out, Instant.now());
    }
    return 0;
  }
}
