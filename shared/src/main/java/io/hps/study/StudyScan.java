package io.hps.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One listing of where every setting is, taken in the direction settings flow (pending, claimed,
 * requeue, results) so that a setting moving forward during the scan is seen at least once. Names
 * that are not {@code <id>.json} are reported in {@code strays}.
 */
public record StudyScan(Set<String> pending, List<ClaimFile> claims, Set<String> requeue, Set<String> results,
    List<Path> strays) {

  /** A file in {@code claimed/<worker>/}: a running setting, or one being published. */
  public record ClaimFile(String worker, String id, boolean publishing, Path file, FileTime modified) {}

  /** Lists the study directory once. */
  public static StudyScan of(StudyDirectory study) throws IOException {
    return scan(study, true);
  }

  /**
   * The cheap part a master needs every poll: the claims, and which of the {@code awaited} settings
   * have a result file (one lookup each, instead of listing a {@code results/} that grows with the
   * study). {@code pending} and {@code requeue} come back empty, so {@link #holds} must not be asked.
   */
  public static StudyScan claimsAndResults(StudyDirectory study, java.util.Collection<String> awaited)
      throws IOException {
    StudyScan claims = scan(study, false);
    Set<String> results = new LinkedHashSet<>();
    for (String id : awaited) {
      if (Files.exists(study.result(id), LinkOption.NOFOLLOW_LINKS)) {
        results.add(id);
      }
    }
    return new StudyScan(Set.of(), claims.claims(), Set.of(), results, claims.strays());
  }

  private static StudyScan scan(StudyDirectory study, boolean full) throws IOException {
    List<Path> strays = new ArrayList<>();
    Set<String> pending = full ? ids(study.pending(), strays) : Set.of();
    List<ClaimFile> claims = new ArrayList<>();
    for (String worker : StudyDirectory.list(study.claimed())) {
      Path dir = study.claimed().resolve(worker);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        strays.add(dir);
        continue;
      }
      for (String name : StudyDirectory.list(dir)) {
        boolean publishing = name.endsWith(StudyDirectory.PUBLISHING);
        String asJson = publishing ? name.substring(0, name.length() - StudyDirectory.PUBLISHING.length()) + ".json"
            : name;
        Path file = dir.resolve(name);
        var id = StudyDirectory.idOf(asJson);
        if (id.isEmpty()) {
          strays.add(file);
          continue;
        }
        try {
          FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
          claims.add(new ClaimFile(worker, id.get(), publishing, file, modified));
        } catch (NoSuchFileException movedOn) {
          // published or handed back while we listed: a later scan sees it in its new place
        }
      }
    }
    Set<String> requeue = full ? ids(study.requeue(), strays) : Set.of();
    Set<String> results = full ? ids(study.results(), strays) : Set.of();
    return new StudyScan(pending, claims, requeue, results, strays);
  }

  /** Whether the setting has a file anywhere in the flow. */
  public boolean holds(String id) {
    return pending.contains(id) || requeue.contains(id) || results.contains(id)
        || claims.stream().anyMatch(c -> c.id().equals(id));
  }

  private static Set<String> ids(Path dir, List<Path> strays) {
    Set<String> ids = new LinkedHashSet<>();
    for (String name : StudyDirectory.list(dir)) {
      var id = StudyDirectory.idOf(name);
      if (id.isPresent()) {
        ids.add(id.get());
      } else {
        strays.add(dir.resolve(name));
      }
    }
    return ids;
  }
}
