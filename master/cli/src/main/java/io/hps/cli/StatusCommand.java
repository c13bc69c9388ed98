package io.hps.cli;

import io.hps.json.Json;
import io.hps.status.StatusTable;
import io.hps.status.StudyStatus;
import io.hps.study.StudyDirectory;
import io.hps.slurm.Slurm;
import io.hps.slurm.SlurmException;
import io.hps.slurm.SlurmJobs;
import java.io.PrintWriter;
import java.util.List;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps status}: counts, best result, workers and quarantined files of a study. */
@Command(name = "status", header = "Show a study: counts, best result, workers, SLURM jobs.",
    mixinStandardHelpOptions = true,
    description = "Show a study: settings pending, running, complete, diverged, failed, quarantined; the best"
        + " result (with objectives of its own: the Pareto front, its hypervolume, the results that break a"
        + " constraint); each parameter's importance (PED-ANOVA, from 20 results on); the workers.")
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
    StudyDirectory dir = StudyDirectory.existing(study);
    StudyStatus status = StudyStatus.of(dir);
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(status));
      out.flush();
    } else {
      StatusTable.print(status, out, Instant.now());
      printSlurm(dir, out);
    }
    return 0;
  }

  /** The study's SLURM jobs and the states of their array tasks, when it has any. */
  static void printSlurm(StudyDirectory dir, PrintWriter out) throws java.io.IOException {
    SlurmJobs jobs;
    try {
      jobs = SlurmJobs.read(dir.root());
    } catch (java.io.IOException | RuntimeException e) {
      out.printf("%nslurm/jobs.json is unreadable (%s): the study's SLURM jobs are not shown%n",
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (jobs.jobs().isEmpty()) {
      return;
    }
    out.println();
    for (SlurmJobs.Job job : jobs.jobs()) {
      out.printf("SLURM job %s: %d workers, submitted %s%n", job.jobId(), job.workers(), job.submitted());
    }
    try {
      List<String> queue = Slurm.queue(jobs.ids());
      if (queue.isEmpty()) {
        out.println("  none in the queue (all ended or cancelled)");
      }
      queue.forEach(line -> out.println("  " + line));
    } catch (SlurmException e) {
      out.println("  states unknown: " + e.getMessage());
    }
    out.flush();
  }
}
