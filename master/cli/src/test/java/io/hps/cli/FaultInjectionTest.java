package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master and workers as real processes through injected I/O faults (libfiu's {@code fiu-run}, from
 * Debian's fiu-utils, which .ci/run installs) and a full disk (a small tmpfs; needs root): every setting
 * ends with exactly one result and no process exits.
 */
@Tag("process")
class FaultInjectionTest {
  static final String SPACE = "{\"parameters\": {\"model\": \"synthetic\", \"epochs\": 3, \"epochSeconds\": 0.05,"
      + " \"nf\": 32, \"bs\": 100, \"m\": 0.9, \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.3}}}";
  /**
   * One in a hundred directory operations (opendir, readdir, rename, unlink) and fsyncs fails from the start.
   * Not open(2): under the tests' class path of class folders the JVM opens a file per class it loads, and
   * a class that fails to load is not an I/O error the study sees (run from jars, as ./hps does, the
   * same study also finishes with open(2) failing 1% of the time; see issue 13's note).
   */
  static final List<String> FAULTS = List.of("-c", "enable_random name=posix/io/dir/*,probability=0.01", "-c",
      "enable_random name=posix/io/sync/*,probability=0.01");
  /**
   * One in a hundred closes fails too (a failed close(2) reaches Java as the JDK's undeclared
   * sun.nio.fs.UnixException: issue 25), from the moment each process has started (its first study file
   * written): a close failing while the JVM itself starts (reading its time-zone data) ends it with an Error
   * before hps runs, which is not what this test is about (it made 1 run in about 20 fail).
   */
  static final String LATER = "enable_random name=posix/io/oc/close,probability=0.01";
  @TempDir
  Path root;
  final List<Process> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(Process::destroyForcibly);
  }

  Process hps(List<String> prefix, Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Hps.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    return p;
  }

  static boolean runs(String... command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aStudyFinishesThroughOnePercentOfInjectedIoFaults() throws Exception {
    Assumptions.assumeTrue(runs("fiu-run", "-x", "-f", "", "true"), "SKIPPED: fiu-run (Debian: apt-get install"
        + " fiu-utils) is not installed, so I/O faults cannot be injected here");
    Path space = root.resolve("space.json");
    Files.writeString(space, SPACE);
    Path study = root.resolve("study");
    String control = root.resolve("fiu-ctrl").toString();
    List<String> fiu = new ArrayList<>(List.of("fiu-run", "-x", "-f", control));
    fiu.addAll(FAULTS);
    long start = System.nanoTime();
    Process master = hps(fiu, root.resolve("master.log"), "master", "--study", study.toString(), "--space",
        space.toString(), "--trials", "20", "--batch", "4", "--lease", "20");
    List<Process> workers = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      workers.add(hps(fiu, root.resolve("w" + i + ".log"), "worker", "--study", study.toString(), "--id", "fw" + i,
          "--idle-exit", "60"));
    }
    HpsProcess.await("the master's first file", 60, () -> Files.exists(study.resolve("master.json")));
    enable(control, master);
    for (int i = 1; i <= 2; i++) {
      Path status = study.resolve("workers").resolve("fw" + i + ".json");
      HpsProcess.await("worker fw" + i + "'s first status file", 60, () -> Files.exists(status));
      enable(control, workers.get(i - 1));
    }
    boolean ended = master.waitFor(240, TimeUnit.SECONDS);
    String masterLog = Files.readString(root.resolve("master.log"));
    assertThat(ended).as("the master ended within 240 s; its log:%n%s%nw1:%n%s%nw2:%n%s", tail(masterLog),
        tail(Files.readString(root.resolve("w1.log"))), tail(Files.readString(root.resolve("w2.log")))).isTrue();
    assertThat(master.exitValue()).as(masterLog).isZero();
    int survived = survived(masterLog);
    for (int i = 0; i < workers.size(); i++) {
      assertThat(workers.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(root.resolve("w" + (i + 1) + ".log"));
      assertThat(workers.get(i).exitValue()).as(log).isZero();
      survived += count(log, "I/O error while");
    }
    List<Result> results = StudyDirectory.existing(study).readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    });
    assertThat(results).hasSize(20).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.COMPLETE));
    assertThat(results.stream().map(Result::id).distinct()).hasSize(20);
    assertThat(Quarantine.list(StudyDirectory.existing(study))).as("no good file taken for a bad one").isEmpty();
    assertThat(survived).as("faults were injected and survived").isPositive();
    System.out.printf("fault injection: %d I/O errors survived, 20 settings, 0 lost, 0 duplicated, %.0f s%n",
        survived, (System.nanoTime() - start) / 1e9);
  }

  @Test
  void aStudyOnAFullDiskGoesOnWhenSpaceReturns() throws Exception {
    Path mount = root.resolve("small");
    Files.createDirectories(mount);
    Assumptions.assumeTrue(runs("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()),
        "SKIPPED: cannot mount a small tmpfs here (root and mount permission needed) to fill a disk");
    try {
      Path space = root.resolve("space.json");
      Files.writeString(space, SPACE.replace("\"epochs\": 3", "\"epochs\": 2"));
      Path study = mount.resolve("study");
      Process master = hps(List.of(), root.resolve("master.log"), "master", "--study", study.toString(), "--space",
          space.toString(), "--trials", "8", "--batch", "2", "--lease", "30");
      Process worker = hps(List.of(), root.resolve("w.log"), "worker", "--study", study.toString(), "--id", "fw",
          "--idle-exit", "90");
      HpsProcess.await("the first result", 60, () -> !StudyDirectory.list(study.resolve("results")).isEmpty());
      Path filler = mount.resolve("filler");
      runs("sh", "-c", "dd if=/dev/zero of=" + filler + " bs=64k 2>/dev/null; true"); // the disk is now full
      long full = System.nanoTime();
      HpsProcess.await("an error about space", 60, () -> Files.readString(root.resolve("master.log"))
          .contains("No space left") || Files.readString(root.resolve("w.log")).contains("No space left"));
      Thread.sleep(2000);
      assertThat(master.isAlive()).as("the master waits for space").isTrue();
      assertThat(worker.isAlive()).as("the worker waits for space").isTrue();
      Files.delete(filler);
      assertThat(master.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(master.exitValue()).as(Files.readString(root.resolve("master.log"))).isZero();
      assertThat(StudyDirectory.list(study.resolve("results"))).hasSize(8);
      System.out.printf("full disk: finished %.0f s after the disk filled, without a restart%n",
          (System.nanoTime() - full) / 1e9);
    } finally {
      started.forEach(Process::destroyForcibly);
      for (Process p : started) {
        p.waitFor(10, TimeUnit.SECONDS);
      }
      runs("umount", "-l", mount.toString());
    }
  }

  /** Turns on {@link #LATER}'s close faults in a running process (libfiu's remote control, fiu-ctrl). */
  static void enable(String control, Process p) throws Exception {
    Process ctrl = new ProcessBuilder("fiu-ctrl", "-f", control, "-c", LATER, String.valueOf(p.pid()))
        .redirectErrorStream(true).start();
    String said = new String(ctrl.getInputStream().readAllBytes());
    assertThat(ctrl.waitFor(30, TimeUnit.SECONDS) && ctrl.exitValue() == 0).as("fiu-ctrl: %s", said).isTrue();
  }

  static int survived(String masterLog) {
    Matcher m = Pattern.compile("\\((\\d+) I/O errors survived\\)").matcher(masterLog);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  static int count(String text, String what) {
    return (int) text.lines().filter(l -> l.contains(what)).count();
  }

  /** The last 40 lines of a log, for failure messages. */
  static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 40), lines.length));
  }
}
