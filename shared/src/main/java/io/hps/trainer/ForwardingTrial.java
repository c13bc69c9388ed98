package io.hps.trainer;

import io.hps.space.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A trial that answers as {@code base} does; override what should differ (tests and benchmarks: other
 * threads, a checkpoint to save or resume).
 */
public abstract class ForwardingTrial implements Trial {
  private final Trial base;

  protected ForwardingTrial(Trial base) {
    this.base = base;
  }

  @Override
  public String id() {
    return base.id();
  }

  @Override
  public int attempt() {
    return base.attempt();
  }

  @Override
  public Params params() {
    return base.params();
  }

  @Override
  public OptionalInt budget() {
    return base.budget();
  }

  @Override
  public Optional<Path> checkpointDirectory() {
    return base.checkpointDirectory();
  }

  @Override
  public Optional<Checkpoint> resumeFrom() {
    return base.resumeFrom();
  }

  @Override
  public Path workDirectory() throws IOException {
    return base.workDirectory();
  }

  @Override
  public Path logFile() throws IOException {
    return base.logFile();
  }

  @Override
  public Path dataDirectory() {
    return base.dataDirectory();
  }

  @Override
  public int threads() {
    return base.threads();
  }

  @Override
  public Optional<String> device() {
    return base.device();
  }

  @Override
  public void log(String message) {
    base.log(message);
  }

  @Override
  public boolean cancelled() {
    return base.cancelled();
  }
}
