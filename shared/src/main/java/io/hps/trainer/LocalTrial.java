package io.hps.trainer;

import io.hps.space.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A trial outside a study, for trainers' own tests: its work directory is one temporary directory, made on
 * first use and kept (as a study's {@code work/<id>/attempt-<n>/} is), with the log file in it.
 */
final class LocalTrial implements Trial {
  private final Params params;
  private final Path dataDirectory;
  private Path work;

  LocalTrial(Params params, Path dataDirectory) {
    this.params = params;
    this.dataDirectory = dataDirectory;
  }

  @Override
  public Params params() {
    return params;
  }

  @Override
  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public String id() {
    return "local";
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public synchronized Path workDirectory() throws IOException {
    if (work == null) {
      work = Files.createTempDirectory("hps-trial-");
    }
    return work;
  }

  @Override
  public Path logFile() throws IOException {
    return workDirectory().resolve("trial.log");
  }

  @Override
  public int threads() {
    return 0;
  }

  @Override
  public Optional<String> device() {
    return Optional.empty();
  }

  @Override
  public void log(String message) {
    System.err.println(message);
  }

  @Override
  public boolean cancelled() {
    return false;
  }
}
