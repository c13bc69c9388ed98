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

  @Option(names = "--no-cache", description = "Read every result file again, and write the cache anew. By default"
      + " what an earlier call counted is kept in $XDG_CACHE_HOME/hps/status (else ~/.cache/hps/status; never in the"
      + " study), and only result files it lacks are read, so a study of 100,000 results answers in about 2 s from"
      + " the second call. Result files are never rewritten by hps: one edited by hand is seen only with --no-cache"
      + " (or by hps verify).")
  boolean noCache;

  @Option(names = "--setting", paramLabel = "ID", description = {"Instead of the study: why setting ID was proposed,",
      "computed again from its batch's provenance (random start-up point, TPE's split and density ratio, the rung",
      "and rank of a promotion, a grid index), from which inputs, and whether that gives this very setting."})
  String setting;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StudyDirectory dir = StudyDirectory.existing(study);
    if (setting != null) {
      return explain(dir, out);
    }
    io.hps.status.ResultCache cache = io.hps.status.ResultCache.forStudy(dir.root());
    StudyStatus status = StudyStatus.of(dir, noCache ? cache.rebuilt() : cache);
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(status));
      out.flush();
    } else {
      StatusTable.print(status, out, Instant.now());
      printSlurm(dir, out);
    }
    return 0;
  }

  /** {@code --setting}: why that setting was proposed. */
  private int explain(StudyDirectory dir, PrintWriter out) throws java.io.IOException {
    io.hps.verify.StudyRecord record = io.hps.verify.StudyRecord.read(dir);
    io.hps.protocol.Setting s = record.settings().get(setting);
    if (s == null) {
      // not a usage error (exit 2): the study is there, the setting is not in it
      throw new IllegalArgumentException("no batch of " + study + " proposed a setting '" + setting + "'");
    }
    io.hps.protocol.Batch batch = record.batches().stream().filter(b -> b.batch() == s.batch()).findFirst()
        .orElseThrow();
    io.hps.verify.Explanation e = io.hps.verify.Explanation.of(record, batch, setting);
    if (json) {
      // the setting itself too, as the text shows it
      com.fasterxml.jackson.databind.node.ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("id", s.id()).put("point", s.point()).put("repeat", s.repeat()).put("batch", s.batch())
          .put("proposed", String.valueOf(s.created()));
      o.set("params", Json.MAPPER.valueToTree(s.params()));
      com.fasterxml.jackson.databind.node.ObjectNode why = Json.MAPPER.valueToTree(e);
      why.remove(List.of("id", "batch"));
      o.setAll(why);
      out.println(Json.MAPPER.writeValueAsString(o));
    } else {
      out.printf("setting   %s (point %d, repeat %d), batch %d, proposed %s%n", s.id(), s.point(), s.repeat(),
          s.batch(), s.created());
      out.printf("params    %s%n", s.params());
      out.printf("why       %s%n", e.why() == null ? "(cannot be computed again: see below)" : e.why());
      out.printf("inputs    %s%n", e.inputs() == null ? "none recorded (the batch has no provenance)" : e.inputs());
      out.printf("check     %s%n", e.check());
    }
    out.flush();
    return e.reproduced() ? 0 : 1;
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
