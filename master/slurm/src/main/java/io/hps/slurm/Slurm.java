package io.hps.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SLURM commands hps runs: {@code sbatch}, {@code squeue} and {@code scancel}, found on the PATH.
 * A missing command or a refusal becomes a {@link SlurmException} that says what to do.
 */
public final class Slurm {
  private Slurm() {}

  /** Submits a batch script; returns the job id. */
  public static String submit(Path script) throws IOException {
    String out = run(List.of("sbatch", "--parsable", script.toString()), "submit the workers").trim();
    // --parsable prints "jobid" or "jobid;cluster"
    String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
    if (!id.matches("[0-9]+")) {
      throw new SlurmException("sbatch answered '" + out + "' instead of a job id");
    }
    return id;
  }

  /** The queue's lines ("id state elapsed reason") for these jobs and their array tasks. */
  public static List<String> queue(List<String> jobIds) throws IOException {
    if (jobIds.isEmpty()) {
      return List.of();
    }
    // squeue -j fails for a job that has left the queue: list this user's jobs and keep ours.
    String out = run(List.of("squeue", "-h", "-u", System.getProperty("user.name"), "-o", "%i %T %M %R"),
        "list the jobs");
    return out.lines().map(String::strip).filter(l -> jobIds.stream().anyMatch(id -> l.startsWith(id + " ")
        || l.startsWith(id + "_"))).toList();
  }

  /** Cancels jobs or array tasks ({@code 123} or {@code 123_4}). */
  public static void cancel(List<String> jobIds) throws IOException {
    List<String> command = new ArrayList<>(List.of("scancel"));
    command.addAll(jobIds);
    run(command, "cancel the jobs");
  }

  static String run(List<String> command, String purpose) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new SlurmException(command.get(0) + " not found on the PATH: cannot " + purpose + ". Run hps on a"
          + " SLURM login node (or with SLURM's commands on the PATH); hps slurm submit --dry-run prints the script");
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SlurmException(command.get(0) + " did not answer in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new SlurmException(command.get(0) + " refused to " + purpose + " (exit " + p.exitValue() + "): "
            + out.trim());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
  }
}
