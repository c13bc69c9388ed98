package io.hps.slurm;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A SLURM job array of hps workers: one array task runs one worker, with the GPUs and cores SLURM gives
 * it. {@link #script} writes the batch script, readable so users can audit and adapt it.
 *
 * @param study absolute study directory (the same path on every node)
 * @param workers number of array tasks
 * @param gpusPerWorker GPUs per task ({@code --gres=gpu:G}); 0 for CPU workers
 * @param cpusPerWorker cores per task, also the worker's ND4J threads
 * @param partition partition, or null for the default one
 * @param time time limit ({@code HH:MM:SS}), or null for the partition's
 * @param memory memory per task (for example {@code 16G}), or null for the default
 * @param requeue whether SLURM may requeue a task after preemption or node failure
 * @param idleExitSeconds a worker exits after this long with nothing to claim (0: only when the study ends)
 * @param extraOptions further {@code sbatch} options, one per {@code #SBATCH} line
 * @param command the command of an hps JVM up to its subcommand: java, JVM options, {@code -cp}, the
 *     classpath, the main class
 * @param dataDir MNIST directory for the workers, or null for their default
 * @param classpath the user's trainer jars ({@code hps worker --classpath}), absolute; empty for none
 */
public record WorkerArray(Path study, int workers, int gpusPerWorker, int cpusPerWorker, String partition, String time,
    String memory, boolean requeue, double idleExitSeconds, List<String> extraOptions, List<String> command,
    Path dataDir, List<Path> classpath) {
  public WorkerArray {
    classpath = classpath == null ? List.of() : List.copyOf(classpath);
    Objects.requireNonNull(study, "study");
    if (!study.isAbsolute()) {
      throw new IllegalArgumentException("the study path must be absolute, not " + study);
    }
    if (workers < 1 || gpusPerWorker < 0 || cpusPerWorker < 1) {
      throw new IllegalArgumentException("need at least 1 worker and 1 CPU per worker, and no negative GPU count");
    }
    extraOptions = List.copyOf(extraOptions);
    command = List.copyOf(command);
    if (command.size() < 4 || command.indexOf("-cp") < 1 || command.indexOf("-cp") != command.size() - 3) {
      throw new IllegalArgumentException("the command must be: java [JVM options] -cp CLASSPATH MAIN, not " + command);
    }
    for (String option : extraOptions) {
      if (!option.startsWith("-") || option.contains("\n")) {
        throw new IllegalArgumentException("an sbatch option starts with '-' and is one line, not '" + option + "'");
      }
    }
  }

  /** The batch script's text. */
  public String script(Instant written) {
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add("# hps workers for the study " + study + ", written by `hps slurm submit` at " + written + ".");
    lines.add("# One array task runs one worker; resubmit by hand with: sbatch " + study.resolve("slurm")
        .resolve("workers.sbatch"));
    lines.add("#SBATCH --job-name=hps-" + study.getFileName());
    lines.add("#SBATCH --array=0-" + (workers - 1));
    lines.add("#SBATCH --output=" + study.resolve("logs") + "/slurm-%A_%a.log");
    lines.add("#SBATCH --cpus-per-task=" + cpusPerWorker);
    if (gpusPerWorker > 0) {
      lines.add("#SBATCH --gres=gpu:" + gpusPerWorker);
    }
    if (partition != null) {
      lines.add("#SBATCH --partition=" + partition);
    }
    if (time != null) {
      lines.add("#SBATCH --time=" + time);
    }
    if (memory != null) {
      lines.add("#SBATCH --mem=" + memory);
    }
    lines.add(requeue ? "#SBATCH --requeue" : "#SBATCH --no-requeue");
    extraOptions.forEach(o -> lines.add("#SBATCH " + o));
    lines.add("set -euo pipefail");
    lines.add("");
    lines.add("# The id names the array task and its restart: a requeued task is a new worker, and the lease rules");
    lines.add("# give the setting its killed predecessor held back to the study.");
    lines.add("id=\"slurm-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}-r${SLURM_RESTART_COUNT:-0}\"");
    lines.add("# With --gres=gpu SLURM sets CUDA_VISIBLE_DEVICES to this task's GPUs: device 0 is the first of them.");
    lines.add("device=()");
    lines.add("if [ -n \"${CUDA_VISIBLE_DEVICES:-}\" ]; then device=(--device 0); fi");
    lines.add("echo \"hps worker $id on $(hostname), CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-none}\"");
    int cp = command.indexOf("-cp");
    lines.add("java=" + quote(command.get(0)));
    lines.add("jvm_options=(" + String.join(" ", command.subList(1, cp).stream().map(WorkerArray::quote).toList())
        + ")");
    lines.add("classpath=(");
    for (String entry : command.get(cp + 1).split(java.io.File.pathSeparator)) {
      lines.add("  " + quote(entry));
    }
    lines.add(")");
    StringBuilder exec = new StringBuilder("exec \"$java\" ${jvm_options[@]+\"${jvm_options[@]}\"} -cp \"$(IFS=:; echo \"${classpath[*]}\")\" ")
        .append(command.get(cp + 2));
    exec.append(" worker --study ").append(quote(study.toString())).append(" --id \"$id\" \\\n  --threads ")
        .append(cpusPerWorker).append(" --idle-exit ").append(idleExitSeconds);
    if (dataDir != null) {
      exec.append(" --data-dir ").append(quote(dataDir.toString()));
    }
    if (!classpath.isEmpty()) {
      exec.append(" \\\n  --classpath ").append(quote(String.join(java.io.File.pathSeparator,
          classpath.stream().map(Path::toString).toList())));
    }
    exec.append(" ${device[@]+\"${device[@]}\"}");
    lines.add(exec.toString());
    return String.join("\n", lines) + "\n";
  }

  /** Single-quotes a word for bash when it needs it. */
  static String quote(String word) {
    if (word.matches("[A-Za-z0-9_./:=,@+%-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
