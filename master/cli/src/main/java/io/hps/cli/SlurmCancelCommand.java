package io.hps.cli;

import io.hps.slurm.Slurm;
import io.hps.slurm.SlurmJobs;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps slurm cancel}: cancels a study's SLURM workers. */
@Command(name = "cancel", header = "Cancel a study's SLURM workers.",
    mixinStandardHelpOptions = true,
    description = {"Cancel every SLURM job submitted for the study (scancel). The workers get SIGTERM and hand",
        "their settings back; the results so far stay."})
final class SlurmCancelCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory.")
  Path study;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StudyDirectory dir = StudyDirectory.existing(study);
    List<String> ids = SlurmJobs.read(dir.root()).ids();
    if (ids.isEmpty()) {
      out.printf("no SLURM jobs recorded for %s%n", study);
    } else {
      Slurm.cancel(ids);
      out.printf("cancelled SLURM jobs %s%n", String.join(", ", ids));
    }
    out.flush();
    return 0;
  }
}
