package io.hps.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a promoted setting continues from: the {@code from} setting (its parent), the {@code path} of the
 * checkpoint that setting's accepted result saved (relative to the study, {@code checkpoints/<name>}), and
 * the {@code epochs} that checkpoint holds. A setting carries it to ask for a resume; a result carries it
 * when its trainer did resume (its epochs are then numbered from {@code epochs + 1}).
 */
public record Resume(String from, String path, int epochs) {
  /** A checkpoint's path: {@code checkpoints/<setting id>/<name>}, both safe names. */
  private static final Pattern PATH = Pattern.compile(
      "checkpoints/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  public Resume {
    Ids.check("resume 'from' setting id", from);
    checkPath(path);
    if (epochs < 1) {
      throw new IllegalArgumentException("a checkpoint holds at least 1 epoch, not " + epochs);
    }
  }

  /** Checks a checkpoint's path: {@code checkpoints/<setting id>/<name>}, safe names (no '..'). */
  public static String checkPath(String path) {
    Objects.requireNonNull(path, "checkpoint path");
    if (!PATH.matcher(path).matches() || path.contains("..")) {
      throw new IllegalArgumentException("checkpoint path '" + path + "' is not checkpoints/<setting id>/<name> with"
          + " safe names (letters, digits, '-', '_', '.', no '..')");
    }
    return path;
  }
}
