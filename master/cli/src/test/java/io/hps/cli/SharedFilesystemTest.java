package io.hps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: one study on a real distributed filesystem, seen by two "machines": two FUSE mounts of one GlusterFS
 * volume, each with its own client, caches and view (examples/shared-fs/start-gluster.sh mounts them at
 * /mnt/hps-a and /mnt/hps-b; .ci/run starts it). The master runs on mount A, workers on A and B, through kill -9,
 * SIGSTOP, a mount that loses the filesystem, clocks 10 minutes off, and a master on another host. Where the
 * mounts are not there every test is skipped, saying so.
 */
@Tag("sharedfs")
class SharedFilesystemTest {
  static final Path A = Path.of(System.getProperty("hps.sharedfs.a", "/mnt/hps-a"));
  static final Path B = Path.of(System.getProperty("hps.sharedfs.b", "/mnt/hps-b"));
  static final String SPACE = CommandLineTest.SYNTHETIC.toAbsolutePath().toString();
  private static String unusable;
  private static boolean checked;

  @TempDir
  Path local;
  /** This test's folder seen through mount A and through mount B. */
  Path onA;
  Path onB;
  final List<Process> pythons = new ArrayList<>();
  final List<Path> ownMounts = new ArrayList<>();

  @BeforeEach
  void twoMounts() throws Exception {
    if (!checked) {
      unusable = unusable();
      checked = true;
    }
    Assumptions.assumeTrue(unusable == null, "SKIPPED: " + unusable + "; run examples/shared-fs/start-gluster.sh"
        + " (as root) to include the shared-filesystem tests");
    String name = "t-" + Long.toHexString(System.nanoTime());
    onA = Files.createDirectories(A.resolve(name));
    onB = B.resolve(name);
    HpsProcess.await(name + " on mount B", 10, () -> Files.isDirectory(onB));
  }

  @AfterEach
  void cleanUp() throws Exception {
    HpsProcess.killAll();
    pythons.forEach(Process::destroyForcibly);
    for (Path m : ownMounts) {
      sh("umount -l " + m);
    }
    if (onA != null) {
      sh("rm -rf " + onA);
    }
  }

  /** Why the two mounts cannot be used (null: they can). */
  static String unusable() throws IOException {
    Map<String, String[]> mounts = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
      String[] f = line.split(" ");
      mounts.put(f[1], f);
    }
    for (Path m : List.of(A, B)) {
      String[] f = mounts.get(m.toString());
      if (f == null || !f[2].startsWith("fuse.glusterfs")) {
        return "no GlusterFS volume is mounted on " + m;
      }
    }
    if (!mounts.get(A.toString())[0].equals(mounts.get(B.toString())[0])) {
      return A + " and " + B + " mount different volumes";
    }
    Path probe = A.resolve(".probe-" + ProcessHandle.current().pid());
    try {
      Files.writeString(probe, "probe");
    } catch (IOException e) {
      return A + " is mounted but not usable (" + e + "; a stale mount whose client died?)";
    }
    try {
      long end = System.nanoTime() + 10_000_000_000L;
      while (!Files.exists(B.resolve(probe.getFileName()))) {
        if (System.nanoTime() > end) {
          return "a file written on " + A + " does not appear on " + B;
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(probe);
    }
    return null;
  }

  static String volume() throws IOException {
    return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
        .filter(f -> f[1].equals(A.toString())).findFirst().orElseThrow()[0];
  }

  static int sh(String command) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  static String[] study(Path study, String... more) {
    List<String> args = new ArrayList<>(List.of("--study", study.toString(), "--poll-ms", "20"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  HpsProcess master(String log, List<String> prefix, Path study, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("master", "--space", SPACE));
    args.addAll(List.of(study(study, more)));
    return new HpsProcess(local.resolve(log), null, prefix, args.toArray(String[]::new));
  }

  HpsProcess worker(String id, List<String> prefix, Path study) throws Exception {
    return new HpsProcess(local.resolve(id + ".log"), null, prefix, "worker", "--study", study.toString(), "--id", id,
        "--idle-exit", "60", "--poll-ms", "20");
  }

  static void needsFaketime() throws Exception {
    Assumptions.assumeTrue(sh("faketime -f +600s true") == 0, "SKIPPED: no faketime (Debian: apt-get install"
        + " faketime) to give a process a clock 10 minutes off");
  }

  static List<Result> results(Path study) throws IOException {
    List<Result> results = StudyDirectory.existing(study).readResults((f, why) -> {
      throw new AssertionError(f + ": " + why);
    });
    results.sort(Comparator.comparing(Result::id));
    return results;
  }

  /** Every setting once, complete, nothing quarantined. */
  static List<Result> exactlyOnce(Path study, int trials) throws IOException {
    List<Result> results = results(study);
    assertThat(results).hasSize(trials).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.COMPLETE));
    assertThat(results.stream().map(Result::id).distinct()).hasSize(trials);
    assertThat(Quarantine.list(StudyDirectory.existing(study))).isEmpty();
    return results;
  }

  static boolean holds(Path study, String worker) {
    return !StudyDirectory.list(study.resolve("claimed").resolve(worker)).stream()
        .filter(n -> n.endsWith(".json")).toList().isEmpty();
  }

  static String heldBy(Path study, String worker) {
    return StudyDirectory.list(study.resolve("claimed").resolve(worker)).stream().filter(n -> n.endsWith(".json"))
        .findFirst().orElseThrow().replace(".json", "");
  }

  /** CPU seconds (user + system) a process has used so far, from /proc. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
  }

  @Test
  void theDoctorFindsTwoMountsOfGlusterFsSafeAndExactlyOneWinnerInEachRace() {
    CapturedCli cli = new CapturedCli();
    assertThat(cli.run("doctor", "--study", onA.resolve("d").toString(), "--other-mount", onB.resolve("d").toString()))
        .as(cli.out + "" + cli.err).isZero();
    assertThat(cli.out.toString()).contains("(fuse.glusterfs ", "PASS  two mounts renaming one file",
        "PASS  two mounts linking one name", "0 by both, 0 by neither", "0 torn", "a study can live here");
    System.out.print(cli.out);
  }

  @Test
  void twoMachinesTrainEverySettingOnceWithTheResultsOfOneLocalDisk() throws Exception {
    String[] options = {"--strategy", "tpe", "--trials", "16", "--batch", "4", "--seed", "7", "--lease", "30",
        "--set", "epochs=3", "--set", "epochSeconds=0.05"};
    HpsProcess master = master("master.log", List.of(), onA.resolve("study"), options);
    HpsProcess.await("the study on mount B", 30, () -> Files.exists(onB.resolve("study").resolve("study.json")));
    HpsProcess wa = worker("wa", List.of(), onA.resolve("study"));
    HpsProcess wb = worker("wb", List.of(), onB.resolve("study"));
    assertThat(master.waitFor(180)).as(master.output()).isZero();
    assertThat(wa.waitFor(60)).isZero();
    assertThat(wb.waitFor(60)).isZero();
    List<Result> shared = exactlyOnce(onA.resolve("study"), 16);
    assertThat(shared.stream().map(Result::worker).distinct()).as("both machines trained").contains("wa", "wb");
    assertThat(shared).allMatch(r -> r.attempt() == 1);

    Path alone = local.resolve("local-study");
    HpsProcess localMaster = master("local-master.log", List.of(), alone, options);
    HpsProcess.await("the local study", 30, () -> Files.exists(alone.resolve("study.json")));
    HpsProcess l1 = worker("l1", List.of(), alone);
    HpsProcess l2 = worker("l2", List.of(), alone);
    assertThat(localMaster.waitFor(180)).as(localMaster.output()).isZero();
    l1.waitFor(60);
    l2.waitFor(60);
    Function<List<Result>, Map<String, String>> byId = rs -> rs.stream().collect(Collectors.toMap(Result::id,
        r -> r.params() + " " + r.epochs().stream().map(Epoch::valError).toList(), (x, y) -> x, TreeMap::new));
    assertThat(byId.apply(shared)).as("same settings, same curves, as on one local disk")
        .isEqualTo(byId.apply(exactlyOnce(alone, 16)));
  }

  @Test
  void killNineLoopsOfPythonWorkersOnBAndOfTheMasterLoseNothing() throws Exception {
    String python = Python.any();
    Assumptions.assumeTrue(python != null, "SKIPPED: no python3 (3.9+) here for the Python workers");
    Path studyA = onA.resolve("study");
    Path studyB = onB.resolve("study");
    Path space = local.resolve("toy.json");
    Files.writeString(space, "{\"parameters\": {\"model\": \"toy\", \"epochs\": 4, \"epochSeconds\": 0.15,"
        + " \"lr\": {\"type\": \"loguniform\", \"low\": 0.01, \"high\": 0.2}}}");
    String[] masterArgs = {"master", "--space", space.toString(), "--study", studyA.toString(), "--trials", "20",
        "--batch", "4", "--lease", "3", "--poll-ms", "20"};
    HpsProcess master = new HpsProcess(local.resolve("master.log"), masterArgs);
    HpsProcess.await("the study on mount B", 30, () -> Files.exists(studyB.resolve("study.json")));
    pythons.add(Python.start(python, local.resolve("pa.log"), "examples/toy.py", "--study", studyA.toString(),
        "--id", "pa"));
    List<String> killed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "pb" + i;
      Process victim = Python.start(python, local.resolve(id + ".log"), "examples/toy.py", "--study",
          studyB.toString(), "--id", id);
      pythons.add(victim);
      HpsProcess.await(id + "'s claim", 60, () -> holds(studyA, id));
      killed.add(heldBy(studyA, id));
      victim.destroyForcibly().waitFor();
      if (i < 2) { // and the master: kill -9, then the same command again
        int before = StudyDirectory.list(studyA.resolve("results")).size();
        HpsProcess.await("a result more", 60, () -> StudyDirectory.list(studyA.resolve("results")).size() > before);
        master.kill();
        master = new HpsProcess(local.resolve("master.log"), masterArgs);
      }
    }
    pythons.add(Python.start(python, local.resolve("pb-last.log"), "examples/toy.py", "--study", studyB.toString(),
        "--id", "pb-last"));
    assertThat(master.waitFor(240)).as(master.output()).isZero();
    List<Result> results = exactlyOnce(studyA, 20);
    for (String id : killed) {
      assertThat(results).filteredOn(r -> r.id().equals(id)).singleElement().satisfies(r -> {
        assertThat(r.attempt()).as(id + ": its first claim died with its worker").isGreaterThan(1);
        assertThat(r.worker()).isIn("pa", "pb-last");
      });
    }
    assertThat(master.output()).contains("lease expired: worker pb0");
  }

  @Test
  void aWorkerOnBStoppedPastItsLeaseHasItsLateResultRefused() throws Exception {
    Path studyA = onA.resolve("study");
    HpsProcess master = master("master.log", List.of(), studyA, "--trials", "6", "--batch", "2", "--lease", "3",
        "--set", "epochs=6", "--set", "epochSeconds=0.4");
    HpsProcess.await("the study on mount B", 30, () -> Files.exists(onB.resolve("study").resolve("study.json")));
    HpsProcess wb = worker("wb", List.of(), onB.resolve("study"));
    // Stopped while it trains (stopped while it claims, it finds the claim gone at once and says nothing).
    HpsProcess.await("wb's claim", 60, () -> wb.output().contains("worker wb: claimed s"));
    String stolen = wb.output().replaceAll("(?s)^.*?worker wb: claimed (s\\d+).*", "$1");
    wb.signal("STOP");
    HpsProcess wa = worker("wa", List.of(), studyA);
    HpsProcess.await("the lease of the stopped worker to expire", 60,
        () -> master.output().contains("lease expired: worker wb"));
    HpsProcess.await(stolen + "'s result from wa", 60, () -> Files.exists(studyA.resolve("results")
        .resolve(stolen + ".json")));
    wb.signal("CONT");
    assertThat(master.waitFor(120)).as(master.output()).isZero();
    assertThat(wb.waitFor(60)).isZero();
    wa.waitFor(60);
    assertThat(exactlyOnce(studyA, 6)).filteredOn(r -> r.id().equals(stolen)).singleElement()
        .satisfies(r -> assertThat(r.worker()).isEqualTo("wa"));
    assertThat(wb.output()).containsAnyOf("lease on " + stolen + " was lost", stolen + " complete fenced");
  }

  @Test
  void aMachineThatLosesTheFilesystemHasItsSettingsTrainedElsewhereAndWaitsQuietly() throws Exception {
    Path mount = Files.createDirectories(local.resolve("c"));
    Assumptions.assumeTrue(sh("mount -t glusterfs " + volume() + " " + mount) == 0,
        "SKIPPED: cannot mount a third GlusterFS client here (root needed) to cut it off");
    ownMounts.add(mount);
    Path studyA = onA.resolve("study");
    Path studyC = mount.resolve(onA.getFileName()).resolve("study");
    HpsProcess master = master("master.log", List.of(), studyA, "--trials", "6", "--batch", "2", "--lease", "3",
        "--set", "epochs=6", "--set", "epochSeconds=0.4");
    HpsProcess.await("the study on mount C", 30, () -> Files.exists(studyC.resolve("study.json")));
    HpsProcess wc = worker("wc", List.of(), studyC);
    HpsProcess.await("wc's claim", 60, () -> holds(studyA, "wc"));
    String cut = heldBy(studyA, "wc");
    // The partition: machine C's filesystem client dies (its mount answers "Transport endpoint is not connected").
    assertThat(sh("pkill -9 -f 'glusterfs.* " + mount + "$'")).isZero();
    HpsProcess wa = worker("wa", List.of(), studyA);
    double cpu = cpuSeconds(wc.process.pid());
    HpsProcess.await(cut + " trained again on A", 90, () -> Files.exists(studyA.resolve("results")
        .resolve(cut + ".json")));
    Thread.sleep(3000);
    double spent = cpuSeconds(wc.process.pid()) - cpu;
    assertThat(master.output()).contains("lease expired: worker wc");
    // Back: the same mount point, a new client.
    assertThat(sh("umount -l " + mount + " && mount -t glusterfs " + volume() + " " + mount)).isZero();
    assertThat(master.waitFor(120)).as(master.output()).isZero();
    assertThat(wc.waitFor(90)).as(wc.output()).isZero();
    wa.waitFor(60);
    assertThat(exactlyOnce(studyA, 6)).filteredOn(r -> r.id().equals(cut)).singleElement()
        .satisfies(r -> assertThat(r.worker()).isEqualTo("wa"));
    String log = wc.output();
    assertThat(log).contains("Transport endpoint is not connected").containsPattern("lease on " + cut + " was lost|"
        + cut + " complete fenced .*: result discarded, the lease was lost");
    assertThat(spent).as("CPU seconds machine C's worker spent while cut off (%s)", log).isLessThan(2.0);
    System.out.printf("partition: the cut-off worker used %.2f CPU s while it waited%n", spent);
  }

  @Test
  void workerClocksTenMinutesAheadAndBehindNeitherExpireLeasesEarlyNorKeepThemForever() throws Exception {
    needsFaketime();
    Path studyA = onA.resolve("study");
    // Epochs of 1 s, six per setting, against a lease of 3 s: only heartbeats keep a claim.
    HpsProcess master = master("master.log", List.of(), studyA, "--trials", "8", "--batch", "2", "--lease", "3",
        "--set", "epochs=6", "--set", "epochSeconds=1");
    HpsProcess.await("the study on mount B", 30, () -> Files.exists(onB.resolve("study").resolve("study.json")));
    HpsProcess behind = worker("behind", List.of("faketime", "-f", "-600s"), onB.resolve("study"));
    HpsProcess ahead = worker("ahead", List.of("faketime", "-f", "+600s"), onB.resolve("study"));
    HpsProcess.await("a result of each", 120, () -> results(studyA).stream().map(Result::worker).distinct()
        .count() == 2);
    HpsProcess.await("a claim of the worker ahead", 60, () -> holds(studyA, "ahead"));
    String lost = heldBy(studyA, "ahead");
    ahead.kill();
    HpsProcess late = worker("late", List.of(), studyA);
    assertThat(master.waitFor(180)).as(master.output()).isZero();
    behind.waitFor(60);
    late.waitFor(60);
    List<Result> results = exactlyOnce(studyA, 8);
    assertThat(master.output()).as("only the killed worker's lease expired").contains("lease expired: worker ahead")
        .doesNotContain("lease expired: worker behind");
    assertThat(results).filteredOn(r -> r.id().equals(lost)).singleElement()
        .satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
    assertThat(results).filteredOn(r -> r.worker().equals("behind")).isNotEmpty()
        .allSatisfy(r -> assertThat(r.attempt()).isEqualTo(1));
  }

  @Test
  void aMasterOnAnotherHostWithASkewedClockIsJudgedByItsHeartbeatNotItsTimestamps() throws Exception {
    Assumptions.assumeTrue(sh("unshare --uts true") == 0,
        "SKIPPED: cannot unshare the host name here (root needed) to run a master as another machine");
    needsFaketime();
    Path studyA = onA.resolve("study");
    String[] options = {"--trials", "10", "--batch", "2", "--lease", "10", "--set", "epochs=3", "--set",
        "epochSeconds=0.3"};
    // "Machine B": its own host name and a clock 10 minutes behind ours.
    List<String> machineB = List.of("unshare", "--uts", "sh", "-c", "hostname machine-b; exec \"$@\"", "sh",
        "faketime", "-f", "-600s");
    HpsProcess first = master("first.log", machineB, onB.resolve("study"), options);
    HpsProcess.await("the first master's heartbeat", 60, () -> Files.exists(studyA.resolve("master.json")));
    HpsProcess second = master("second.log", List.of(), studyA, options);
    assertThat(second.waitFor(60)).as("refused: the first master beats, though its heartbeat reads 10 minutes old")
        .isNotZero();
    assertThat(second.output()).contains("another master");
    first.kill();
    // Machine B again, now 10 minutes ahead, killed: its last heartbeat stays 10 minutes in our future.
    HpsProcess ahead = master("ahead.log", List.of("unshare", "--uts", "sh", "-c", "hostname machine-b; exec \"$@\"",
        "sh", "faketime", "-f", "+600s"), onB.resolve("study"), options);
    HpsProcess.await("the resumed master", 60, () -> ahead.output().contains("resum"));
    Thread.sleep(1500);
    ahead.kill();
    long start = System.nanoTime();
    HpsProcess third = master("third.log", List.of(), studyA, options);
    HpsProcess worker = worker("w", List.of(), studyA);
    assertThat(third.waitFor(180)).as(third.output()).isZero();
    worker.waitFor(60);
    assertThat(third.output()).contains("no heartbeat from");
    assertThat((System.nanoTime() - start) / 1e9).as("taken over after the watch, not 10 minutes").isLessThan(120);
    exactlyOnce(studyA, 10);
  }
}
