package io.hps.slurm;

import io.hps.json.Json;
import io.hps.study.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SLURM jobs submitted for a study, in {@code slurm/jobs.json}: what {@code hps status} shows and
 * {@code hps slurm cancel} cancels.
 */
public record SlurmJobs(int schema, List<Job> jobs) {
  /** One submitted job array: its id, number of workers, when, and its batch script. */
  public record Job(String jobId, int workers, Instant submitted, String script) {
    public Job {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(submitted, "submitted");
    }
  }

  public SlurmJobs {
    if (schema != 1) {
      throw new IllegalArgumentException("unsupported schema " + schema + " (this hps reads schema 1)");
    }
    jobs = List.copyOf(jobs);
  }

  public static Path file(Path study) {
    return study.resolve("slurm").resolve("jobs.json");
  }

  /** The study's jobs; none when it has no file. */
  public static SlurmJobs read(Path study) throws IOException {
    Path file = file(study);
    if (!Files.exists(file)) {
      return new SlurmJobs(1, List.of());
    }
    return Json.MAPPER.readValue(Files.readString(file), SlurmJobs.class);
  }

  /** Records one more job, durably. */
  public SlurmJobs with(Job job, Path study) throws IOException {
    List<Job> all = new ArrayList<>(jobs);
    all.add(job);
    SlurmJobs updated = new SlurmJobs(1, all);
    Files.createDirectories(file(study).getParent());
    DurableFiles.writeJson(file(study), updated, true);
    return updated;
  }

  public List<String> ids() {
    return jobs.stream().map(Job::jobId).toList();
  }
}
