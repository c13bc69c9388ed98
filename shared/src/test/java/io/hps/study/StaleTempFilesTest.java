package io.hps.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leftover temporary files are judged by how long this process saw them unchanged, never by their clock. */
class StaleTempFilesTest {
  @TempDir
  Path root;

  @Test
  void aFileIsDeletedOnlyOnceItWasSeenUnchangedForTheWholeAge() throws Exception {
    StudyDirectory study = new StudyDirectory(root).create();
    StaleTempFiles temps = new StaleTempFiles(study, Duration.ofHours(1));
    long hour = Duration.ofHours(1).toNanos();
    // Written by a worker whose clock is two hours behind: its time looks old, but the file is alive.
    Path live = Files.writeString(study.results().resolve(".tmp-live"), "partial");
    Files.setLastModifiedTime(live, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000L));
    Path dead = Files.writeString(study.pending().resolve(".tmp-dead"), "left");
    assertThat(temps.clean(0)).isZero();
    assertThat(live).exists();
    Files.writeString(live, "partial, and more"); // its writer goes on
    assertThat(temps.clean(hour / 2)).isZero();
    assertThat(temps.clean(hour + 1)).as("the file nobody touched for an hour").isEqualTo(1);
    assertThat(dead).doesNotExist();
    assertThat(live).exists();
    assertThat(temps.clean(hour + hour / 2 + 1)).isEqualTo(1);
    assertThat(live).doesNotExist();
  }
}
