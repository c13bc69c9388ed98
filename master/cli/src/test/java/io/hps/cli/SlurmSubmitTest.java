package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.slurm.WorkerArray;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch script and the submit command, without a cluster (SlurmTest runs them on one). */
class SlurmSubmitTest {
  @TempDir
  Path root;
  final CapturedCli cli = new CapturedCli();

  @Test
  void dryRunPrintsTheScriptAndSubmitsNothing() {
    Path study = root.resolve("study");
    assertThat(cli.run("slurm", "submit", "--study", study.toString(), "--workers", "8", "--gpus-per-worker", "1",
        "--partition", "gpu", "--time", "04:00:00", "--requeue", "--sbatch-option=--account=proj1", "--dry-run"))
        .isZero();
    assertThat(cli.out.toString()).contains("#SBATCH --array=0-7", "#SBATCH --gres=gpu:1", "#SBATCH --partition=gpu",
        "#SBATCH --time=04:00:00", "#SBATCH --requeue", "#SBATCH --account=proj1", "worker --study " + study,
        "--output=" + study.resolve("logs") + "/slurm-%A_%a.log");
    assertThat(study).doesNotExist();
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(cli.run("slurm", "submit", "--study", root.toString(), "--workers", "0", "--dry-run")).isEqualTo(2);
    assertThat(cli.run("slurm", "submit", "--study", root.toString(), "--workers", "2", "--sbatch-option", "account=x",
        "--dry-run")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("an sbatch option starts with '-'");
  }

  /** The script runs a real worker: here without SLURM, which exits because no study appears. */
  @Test
  void theScriptStartsAWorkerNamedAfterItsArrayTask() throws Exception {
    Path study = root.resolve("study");
    WorkerArray array = new WorkerArray(study, 2, 0, 1, null, null, null, false, 1, List.of(),
        WorkerProcesses.javaCommand(), null, List.of());
    Path script = Files.writeString(root.resolve("w.sbatch"), array.script(Instant.now()));
    Process syntax = new ProcessBuilder("bash", "-n", script.toString()).inheritIO().start();
    assertThat(syntax.waitFor()).isZero();
    ProcessBuilder task = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    task.environment().put("SLURM_ARRAY_JOB_ID", "77");
    task.environment().put("SLURM_ARRAY_TASK_ID", "1");
    task.environment().remove("CUDA_VISIBLE_DEVICES");
    Process p = task.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("hps worker slurm-77_1-r0 on", "CUDA_VISIBLE_DEVICES=none",
        "worker slurm-77_1-r0: no study.json in " + study);
  }
}
