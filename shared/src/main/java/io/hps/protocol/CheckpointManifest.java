package io.hps.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code checkpoint.json}, written by the worker inside a checkpoint directory before the directory is
 * renamed into place: which setting and attempt saved it, and how many epochs the saved state has
 * trained. The rest of the directory is the trainer's own files.
 */
public record CheckpointManifest(int schema, String setting, int attempt, String worker, int epochs,
    Instant created) {
  /** The manifest's file name inside a checkpoint directory. */
  public static final String FILE = "checkpoint.json";

  public CheckpointManifest {
    Ids.schema(schema);
    Ids.check("checkpoint's setting id", setting);
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(created, "created");
    if (attempt < 1 || epochs < 1) {
      throw new IllegalArgumentException("a checkpoint's attempt and epochs must be at least 1");
    }
  }
}
