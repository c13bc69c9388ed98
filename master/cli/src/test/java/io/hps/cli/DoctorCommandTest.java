package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28: hps doctor, and the check hps master makes before it creates a study. */
class DoctorCommandTest {
  @TempDir
  Path root;

  @AfterEach
  void killAll() {
    HpsProcess.killAll();
  }

  @Test
  void aLocalDiskPassesEveryCheckAndTwoRacersOnItGetExactlyOneWinEach() {
    CapturedCli cli = new CapturedCli();
    Path study = root.resolve("study");
    // The same directory as its own "other mount": the races run between two threads on one filesystem.
    assertThat(cli.run("doctor", "--study", study.toString(), "--other-mount", study.toString()))
        .as(cli.out + "" + cli.err).isZero();
    String out = cli.out.toString();
    assertThat(out).contains("PASS  atomic rename (claims)", "PASS  rename over an existing file",
        "PASS  hard link that never replaces", "PASS  exclusive create", "PASS  directory fsync",
        "PASS  modification times", "INFO  clock offset", "PASS  a new file here, listed there", "PASS  a new file there, listed here", "note: --other-mount is the same directory",
        "0 by both, 0 by neither", "0 torn", "a study can live here").doesNotContain("FAIL");
    assertThat(Files.exists(study)).as("the directory it made for the probe is gone again").isFalse();
    // Folders it made on the way are removed too; one that was there stays.
    assertThat(cli.run("doctor", "--study", root.resolve("a/b/c").toString())).isZero();
    assertThat(Files.exists(root.resolve("a"))).isFalse();
    assertThat(Files.exists(root)).isTrue();
  }

  @Test
  void aFilesystemWithoutDirectoryFsyncIsRefusedBeforeAStudyIsWritten() throws Exception {
    Assumptions.assumeTrue(FaultInjectionTest.runs("fiu-run", "-x", "-f", "", "true"), "SKIPPED: fiu-run (Debian:"
        + " apt-get install fiu-utils) is not installed, so fsync cannot be made to fail here");
    // Every fsync fails, as on a filesystem that does not support it on directories.
    List<String> noFsync = List.of("fiu-run", "-x", "-c", "enable name=posix/io/sync/fsync");
    Path study = root.resolve("study");
    HpsProcess doctor = new HpsProcess(root.resolve("doctor.log"), null, noFsync, "doctor", "--study",
        study.toString());
    assertThat(doctor.waitFor(60)).as(doctor.output()).isEqualTo(1);
    assertThat(doctor.output()).contains("FAIL  directory fsync", "refuse to create a study here");
    HpsProcess master = new HpsProcess(root.resolve("master.log"), null, noFsync, "master", "--study",
        study.toString(), "--space", CommandLineTest.SYNTHETIC.toString(), "--trials", "2");
    assertThat(master.waitFor(60)).as(master.output()).isEqualTo(1);
    assertThat(master.output()).contains("lacks what a study needs", "directory fsync", "hps doctor --study",
        "--unsafe-filesystem");
    assertThat(Files.exists(study)).as("nothing written").isFalse();
    HpsProcess unsafe = new HpsProcess(root.resolve("unsafe.log"), null, noFsync, "master", "--study",
        study.toString(), "--space", CommandLineTest.SYNTHETIC.toString(), "--trials", "2", "--unsafe-filesystem",
        "--io-patience", "1");
    unsafe.waitFor(60);
    assertThat(unsafe.output()).contains("warning: --unsafe-filesystem: creating the study although");
  }
}
