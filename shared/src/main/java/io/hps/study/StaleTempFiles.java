package io.hps.study;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Removes the temporary files ({@code .tmp-*}) a writer that died left behind: those in the study's
 * shared folders whose last change is older than {@code age}. A live writer renames or links its
 * temporary file within seconds, so an hour-old one has no owner left.
 */
public final class StaleTempFiles {
  /** Older than this, a temporary file is a leftover. */
  public static final Duration AGE = Duration.ofHours(1);

  private StaleTempFiles() {}

  /** Deletes the stale temporary files; returns how many. */
  public static int clean(StudyDirectory study, Instant now, Duration age) throws IOException {
    int removed = 0;
    for (Path dir : List.of(study.root(), study.batches(), study.pending(), study.requeue(), study.results(),
        study.progress(), study.stop(), study.workers())) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".tmp-*")) {
        for (Path f : files) {
          try {
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().plus(age).isBefore(now)
                && Files.deleteIfExists(f)) {
              removed++;
            }
          } catch (NoSuchFileException gone) {
            // its writer finished after all
          }
        }
      } catch (NoSuchFileException absent) {
        // a folder this study does not have
      } catch (java.nio.file.DirectoryIteratorException e) {
        throw e.getCause();
      }
    }
    return removed;
  }
}
