package io.hps.trainer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A saved state to continue training from: the {@code directory} a trainer saved it into (read only), and
 * the {@code epochs} that state has trained. A trial that resumes trains epochs {@code epochs + 1} up to
 * {@link Trial#epochs()} and numbers them so.
 */
public record Checkpoint(Path directory, int epochs) {
  public Checkpoint {
    Objects.requireNonNull(directory, "directory");
    if (epochs < 1) {
      throw new IllegalArgumentException("a checkpoint holds at least 1 epoch, not " + epochs);
    }
  }
}
