package io.hps.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Quarantines files whose names are not valid UTF-8. Java lists such a name with replacement
 * characters and then cannot open, move or delete the file it names, so this asks the system's shell
 * to do it: every entry of the folder whose name {@code iconv} rejects as UTF-8 is renamed to {@code
 * quarantine/not-utf8-<time>-<n>} beside a reason file that shows the original bytes as {@code sed -n l}
 * escapes ({@code bad\377\376.json}). Only ASCII crosses from Java to the shell. Where there is no
 * {@code sh} or {@code iconv}, nothing is moved.
 */
final class UndecodableNames {
  private static final String SCRIPT = """
      command -v iconv >/dev/null 2>&1 || exit 0
      cd "$1" || exit 0
      n=0
      for f in * ; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        if printf '%s' "$f" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then continue; fi
        n=$((n + 1))
        t="$2/not-utf8-$(date +%s%N)-$n"
        mv -n -- "$f" "$t" 2>/dev/null || continue
        [ -e "$t" ] || [ -L "$t" ] || continue
        shown=$(printf '%s\\n' "$f" | sed -n l | sed 's/\\$$//')
        printf 'file: %s/%s\\nreason: the file name is not valid UTF-8 (bytes shown as octal escapes)\\nby: %s\\nat: %s\\n' \\
          "$4" "$shown" "$3" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$t.reason.txt"
        echo "$t"
      done
      """;

  private UndecodableNames() {}

  /** Quarantines the undecodable names in {@code dir}; returns how many were moved. */
  static int quarantine(StudyDirectory study, Path dir, String by) throws IOException {
    java.nio.file.Files.createDirectories(study.quarantine());
    String relative = study.root().relativize(dir).toString();
    ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", SCRIPT, "sh", dir.toAbsolutePath().toString(),
        study.quarantine().toAbsolutePath().toString(), ascii(by), ascii(relative))).redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException noShell) {
      return 0;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    return (int) out.lines().filter(l -> !l.isBlank()).count();
  }

  /** Whether a listed name has lost bytes in decoding (Java shows them as U+FFFD or '?'). */
  static boolean garbled(String name) {
    return name.indexOf('\uFFFD') >= 0 || name.indexOf('?') >= 0;
  }

  private static String ascii(String text) {
    return text.replaceAll("[^ -~]", "_");
  }
}
