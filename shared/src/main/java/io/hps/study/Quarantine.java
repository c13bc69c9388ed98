package io.hps.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Moves a bad file out of the way into {@code quarantine/}, next to a {@code <name>.reason.txt} that
 * says why. The move is an atomic rename, so when several processes find the same bad file only one
 * quarantines it; the others see it gone.
 */
public final class Quarantine {
  public static final String REASON_SUFFIX = ".reason.txt";

  private Quarantine() {}

  /** Quarantines {@code file}; false if it was already gone. */
  public static boolean quarantine(StudyDirectory study, Path file, String reason, String by) throws IOException {
    Path dir = study.quarantine();
    Files.createDirectories(dir);
    String base = safeName(file.getFileName().toString());
    Path target = dir.resolve(base);
    for (int i = 2; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve(target.getFileName() + REASON_SUFFIX)); i++) {
      target = dir.resolve(base + "-" + i);
    }
    if (!DurableFiles.move(file, target)) {
      // A name that is not UTF-8 cannot be opened by the name Java shows: the shell moves it.
      return UndecodableNames.garbled(file.getFileName().toString())
          && UndecodableNames.quarantine(study, file.getParent(), by) > 0;
    }
    String text = "file: " + study.root().relativize(file) + "\nreason: " + reason + "\nby: " + by + "\nat: "
        + Instant.now() + "\n";
    Files.writeString(dir.resolve(target.getFileName() + REASON_SUFFIX), text, StandardCharsets.UTF_8);
    return true;
  }

  /** Names of quarantined files (without their reason files). */
  public static java.util.List<String> list(StudyDirectory study) {
    return StudyDirectory.list(study.quarantine()).stream().filter(n -> !n.endsWith(REASON_SUFFIX)).toList();
  }

  private static String safeName(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "_").replace("..", "__");
    if (cleaned.startsWith(".")) {
      cleaned = "_" + cleaned.substring(1);
    }
    return cleaned.isEmpty() ? "unnamed" : cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
  }
}
