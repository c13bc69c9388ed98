package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndecodableNamesTest {
  @TempDir
  Path root;

  @Test
  void aNameThatIsNotUtf8IsQuarantinedWithItsBytesInTheReason() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("s")).create();
    // Only the shell can make such a name: Java cannot spell it.
    int made = new ProcessBuilder("sh", "-c", "printf '{}' > \"$1/$(printf 'bad\\377\\376.json')\"; "
        + "printf x > \"$2/$(printf 's9\\351.json')\"", "sh", study.pending().toString(), study.results().toString())
        .inheritIO().start().waitFor();
    Assumptions.assumeTrue(made == 0, "SKIPPED: no POSIX shell here to make the file");
    Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v iconv").start().waitFor() == 0,
        "SKIPPED: no iconv here, so names that are not UTF-8 cannot be told apart");
    for (Path dir : List.of(study.pending(), study.results())) {
      List<String> listed = StudyDirectory.list(dir);
      assertThat(listed).hasSize(1);
      assertThat(Quarantine.quarantine(study, dir.resolve(listed.get(0)), "bad name", "w1")).isTrue();
      assertThat(StudyDirectory.list(dir)).isEmpty();
    }
    List<String> moved = Quarantine.list(study);
    assertThat(moved).hasSize(2).allMatch(n -> n.startsWith("not-utf8-"));
    String reasons = Files.readString(study.quarantine().resolve(moved.get(0) + Quarantine.REASON_SUFFIX))
        + Files.readString(study.quarantine().resolve(moved.get(1) + Quarantine.REASON_SUFFIX));
    assertThat(reasons).contains("file: pending/bad\\377\\376.json").contains("file: results/s9\\351.json")
        .contains("reason: the file name is not valid UTF-8").contains("by: w1");
  }
}
