package io.hps.cli;

import io.hps.slurm.Slurm;
import io.hps.slurm.SlurmJobs;
import io.hps.slurm.WorkerArray;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hps slurm submit}: a job array of workers for a study. */
@Command(name = "submit", header = "Submit workers as a SLURM job array.",
    mixinStandardHelpOptions = true,
    description = {"Write a batch script for --workers workers into DIR/slurm/workers.sbatch and submit it",
        "with sbatch as a job array (one worker per array task, pinned to the GPU SLURM gives it). The job id",
        "goes into DIR/slurm/jobs.json (hps status shows the tasks' states); logs into DIR/logs/slurm-*.log.",
        "The master may start before or after. A task SLURM kills loses nothing: its setting returns to",
        "pending when its lease expires."})
final class SlurmSubmitCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory (created if absent).")
  Path study;

  @Option(names = "--workers", required = true, paramLabel = "N", description = "Workers: array tasks.")
  int workers;

  @Option(names = "--gpus-per-worker", defaultValue = "0", paramLabel = "G", description = "GPUs per worker, --gres=gpu:G (default: ${DEFAULT-VALUE}, CPU workers).")
  int gpus;

  @Option(names = "--cpus-per-worker", defaultValue = "2", paramLabel = "C", description = "Cores per worker, also its ND4J threads (default: ${DEFAULT-VALUE}).")
  int cpus;

  @Option(names = "--partition", paramLabel = "NAME", description = "SLURM partition (default: the cluster's default).")
  String partition;

  @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Time limit per worker (default: the partition's).")
  String time;

  @Option(names = "--mem", paramLabel = "SIZE", description = "Memory per worker, e.g. 16G (default: the cluster's).")
  String memory;

  @Option(names = "--requeue", description = "Let SLURM requeue a worker after preemption or node failure.")
  boolean requeue;

  @Option(names = "--idle-exit", defaultValue = "1800", paramLabel = "SECONDS", description = {"A worker exits after this long with",
      "nothing to claim, and when the study is finished (default: ${DEFAULT-VALUE}). With synchronous batches,",
      "keep it above your longest trial: workers wait idle for a batch's last setting."})
  double idleExit;

  @Option(names = "--sbatch-option", paramLabel = "OPTION", description = {"A further sbatch option, repeatable, e.g.",
      "--sbatch-option=--account=proj1 --sbatch-option=--qos=short"})
  List<String> extra = new ArrayList<>();

  @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory for the workers, on the shared filesystem.")
  Path dataDir;

  @Option(names = "--dry-run", description = "Print the script; write and submit nothing.")
  boolean dryRun;

  @picocli.CommandLine.Mixin
  PluginOptions plugins;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (workers < 1 || cpus < 1 || gpus < 0) {
      throw new ParameterException(spec.commandLine(), "--workers and --cpus-per-worker must be at least 1, "
          + "--gpus-per-worker at least 0");
    }
    Path root = study.toAbsolutePath().normalize();
    WorkerArray array;
    try {
      array = new WorkerArray(root, workers, gpus, cpus, partition, time, memory, requeue, idleExit, extra,
          WorkerProcesses.javaCommand(), dataDir == null ? null : dataDir.toAbsolutePath().normalize(),
          plugins.user());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String script = array.script(Instant.now());
    if (dryRun) {
      out.print(script);
      out.flush();
      return 0;
    }
    new StudyDirectory(root).create();
    Path file = root.resolve("slurm").resolve("workers.sbatch");
    Files.createDirectories(file.getParent());
    Files.writeString(file, script);
    String jobId = Slurm.submit(file);
    SlurmJobs.read(root).with(new SlurmJobs.Job(jobId, workers, Instant.now(), root.relativize(file).toString()),
        root);
    out.printf("submitted job array %s: %d workers (script %s, logs %s/slurm-%s_*.log)%n", jobId, workers, file,
        root.resolve("logs"), jobId);
    out.flush();
    return 0;
  }
}
