package io.hps.trainer;

import io.hps.space.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A trial outside a study, for trainers' own tests: scratch files in a temporary directory. */
record LocalTrial(Params params, Path dataDirectory) implements Trial {
  @Override
  public String id() {
    return "local";
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public Path workDirectory() throws IOException {
    return Files.createTempDirectory("hps-trial-");
  }

  @Override
  public Path logFile() throws IOException {
    return Files.createTempDirectory("hps-trial-").resolve("trial.log");
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
