package io.hps.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmCommandsTest {
  @Test
  void aMissingSlurmCommandSaysWhatToDo() {
    assertThatThrownBy(() -> Slurm.run(List.of("sbatch-which-is-not-installed"), "submit the workers"))
        .isInstanceOf(SlurmException.class).hasMessageContaining("not found on the PATH")
        .hasMessageContaining("cannot submit the workers").hasMessageContaining("--dry-run");
  }

  @Test
  void aRefusalCarriesTheCommandsMessage() {
    assertThatThrownBy(() -> Slurm.run(List.of("sh", "-c", "echo 'Invalid partition name specified'; exit 1"),
        "submit the workers")).isInstanceOf(SlurmException.class)
        .hasMessage("sh refused to submit the workers (exit 1): Invalid partition name specified");
  }

  @Test
  void jobsAreRecordedDurablyAndReadBack(@TempDir Path study) throws Exception {
    assertThat(SlurmJobs.read(study).jobs()).isEmpty();
    SlurmJobs.read(study).with(new SlurmJobs.Job("41", 8, Instant.EPOCH, "slurm/workers.sbatch"), study);
    SlurmJobs.read(study).with(new SlurmJobs.Job("42", 2, Instant.EPOCH, "slurm/workers.sbatch"), study);
    assertThat(SlurmJobs.read(study).ids()).containsExactly("41", "42");
  }

  @Test
  void wordsAreQuotedForBashOnlyWhenNeeded() {
    assertThat(WorkerArray.quote("/opt/jdk/bin/java")).isEqualTo("/opt/jdk/bin/java");
    assertThat(WorkerArray.quote("/my data/it's")).isEqualTo("'/my data/it'\\''s'");
  }
}
