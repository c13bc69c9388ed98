package io.hps.study;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.util.List;

/**
 * Removes the temporary files ({@code .tmp-*}) a writer that died left behind: those in the study's
 * shared folders that have not changed (modification time and size) for {@code age}, as this process saw
 * them on its own monotonic clock. A live writer renames or links its temporary file within seconds, so an
 * hour-old one has no owner left. The age is never read off a file's time against this host's wall clock:
 * the file's time comes from another host's clock (or the file server's), and either clock can step, which
 * once made a master delete a temporary file a worker was writing.
 */
public final class StaleTempFiles {
  /** Unchanged for this long, a temporary file is a leftover. */
  public static final Duration AGE = Duration.ofHours(1);

  private record Seen(FileTime modified, long size, long since) {}

  private final StudyDirectory study;
  private final long age;
  private final Map<Path, Seen> seen = new HashMap<>();

  public StaleTempFiles(StudyDirectory study, Duration age) {
    this.study = study;
    this.age = age.toNanos();
  }

  /** Looks at the temporary files at monotonic time {@code now} (nanoseconds); deletes the stale ones, returns how many. */
  public int clean(long now) throws IOException {
    int removed = 0;
    Map<Path, Seen> present = new HashMap<>();
    for (Path dir : List.of(study.root(), study.batches(), study.pending(), study.requeue(), study.results(),
        study.progress(), study.stop(), study.workers())) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".tmp-*")) {
        for (Path f : files) {
          try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
              continue;
            }
            FileTime modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
            long size = Files.size(f);
            Seen before = seen.get(f);
            Seen now0 = before != null && before.modified().equals(modified) && before.size() == size ? before
                : new Seen(modified, size, now);
            if (now - now0.since() >= age && Files.deleteIfExists(f)) {
              removed++;
            } else {
              present.put(f, now0);
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
    seen.clear();
    seen.putAll(present);
    return removed;
  }
}
