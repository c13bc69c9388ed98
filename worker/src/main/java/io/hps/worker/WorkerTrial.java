package io.hps.worker;

import io.hps.protocol.Setting;
import io.hps.space.Params;
import io.hps.study.StudyDirectory;
import io.hps.trainer.Checkpoint;
import io.hps.trainer.Trial;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A claimed setting as its trainer sees it, with what this worker offers. */
final class WorkerTrial implements Trial {
  private final Setting setting;
  private final StudyDirectory study;
  private final WorkerOptions options;
  private final PrintWriter log;
  private final BooleanSupplier cancelled;
  /** Where the trainer saves its state, or null. */
  private final Path saveTo;
  /** The parent's checkpoint to continue from, or null. */
  private final Checkpoint resume;

  WorkerTrial(Setting setting, StudyDirectory study, WorkerOptions options, PrintWriter log,
      BooleanSupplier cancelled, Path saveTo, Checkpoint resume) {
    this.setting = setting;
    this.study = study;
    this.options = options;
    this.log = log;
    this.cancelled = cancelled;
    this.saveTo = saveTo;
    this.resume = resume;
  }

  @Override
  public Optional<Path> checkpointDirectory() {
    return Optional.ofNullable(saveTo);
  }

  @Override
  public Optional<Checkpoint> resumeFrom() {
    return Optional.ofNullable(resume);
  }

  @Override
  public String id() {
    return setting.id();
  }

  @Override
  public int attempt() {
    return setting.attempt();
  }

  @Override
  public Params params() {
    return setting.params();
  }

  @Override
  public java.util.OptionalInt budget() {
    return Setting.plannedEpochs(setting.budget(), setting.params());
  }

  @Override
  public Path workDirectory() throws IOException {
    return Files.createDirectories(study.work(setting.id(), setting.attempt()));
  }

  @Override
  public Path logFile() throws IOException {
    return Files.createDirectories(study.logs()).resolve(setting.id() + "-attempt-" + setting.attempt() + ".log");
  }

  @Override
  public Path dataDirectory() {
    return options.dataDirectory();
  }

  @Override
  public int threads() {
    return options.threads();
  }

  @Override
  public Optional<String> device() {
    return Optional.ofNullable(options.device());
  }

  @Override
  public void log(String message) {
    synchronized (log) {
      log.println(message);
      log.flush();
    }
  }

  @Override
  public boolean cancelled() {
    return cancelled.getAsBoolean();
  }
}
