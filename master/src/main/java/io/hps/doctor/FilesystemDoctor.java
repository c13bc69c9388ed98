package io.hps.doctor;

import io.hps.study.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Probes the filesystem a study lives on for what the protocol relies on: renames that one claimer wins, renames that
 * replace, hard links that never replace, exclusive creation, directory fsync, modification times a heartbeat can
 * set, free space; with a second mount of the same directory (another machine's view), how soon a file shows there,
 * whether two mounts racing for one claim or one result name get exactly one winner, and whether a rewritten file is
 * ever read torn. Everything happens in a scratch folder of its own, removed afterwards.
 */
public final class FilesystemDoctor {
  /** Files in each two-mount race. */
  static final int RACES = 100;
  /** How long a file may take to show on the other mount before the mounts are taken for different directories. */
  static final Duration NEVER = Duration.ofSeconds(30);

  private FilesystemDoctor() {}

  /**
   * What a master checks before it creates a study in {@code dir} (a few milliseconds): the properties without
   * which results could be lost or duplicated, or the master could not run.
   */
  public static List<Finding> essentials(Path dir) throws IOException {
    Path scratch = scratch(dir);
    try {
      return List.of(exclusiveRename(scratch), renameReplaces(scratch), linkNeverReplaces(scratch),
          exclusiveCreate(scratch), directorySync(scratch), modificationTimes(scratch), freeSpace(dir));
    } finally {
      delete(scratch);
    }
  }

  /**
   * What no master checks by itself: the clock offset, and with {@code other} (the same directory through another
   * mount) what crosses between machines.
   */
  public static List<Finding> beyondEssentials(Path dir, Path other) throws IOException, InterruptedException {
    List<Finding> findings = new ArrayList<>();
    Path scratch = scratch(dir);
    try {
      findings.add(clockOffset(scratch));
      if (other != null) {
        Path there = other.resolve(scratch.getFileName());
        Finding shown = visibility(scratch, there, "a new file here, listed there",
            "workers there find settings proposed here");
        findings.add(shown);
        if (shown.verdict() != Finding.Verdict.FAIL) {
          findings.add(visibility(there, scratch, "a new file there, listed here",
              "workers here find settings proposed there"));
          findings.add(claimRace(scratch, there));
          findings.add(publishRace(scratch, there));
          findings.add(wholeReads(scratch, there, "a file rewritten here, read there"));
          findings.add(wholeReads(there, scratch, "a file rewritten there, read here"));
        }
      }
    } finally {
      delete(scratch);
    }
    return findings;
  }

  /** The filesystem's type and source as the operating system names them ("fuse.glusterfs vm:/hpsvol"). */
  public static String describe(Path dir) {
    try {
      FileStore store = Files.getFileStore(dir);
      return store.type() + " " + store.name();
    } catch (IOException e) {
      return "unknown filesystem (" + e.getMessage() + ")";
    }
  }

  static Finding exclusiveRename(Path scratch) throws IOException {
    String property = "atomic rename (claims)";
    Path a = write(scratch.resolve("claim-a"), "1");
    Path b = scratch.resolve("claim-b");
    try {
      Files.move(a, b, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      return Finding.fail(property, "no atomic rename within a folder (" + e.getMessage() + ")",
          "workers claim settings by renaming them: no study can run here");
    }
    try {
      Files.move(a, scratch.resolve("claim-c"), StandardCopyOption.ATOMIC_MOVE);
      return Finding.fail(property, "renaming a name already renamed away succeeded",
          "two workers could claim the same setting");
    } catch (NoSuchFileException expected) {
      // the loser of a claim learns it from "no such file"
    } catch (IOException e) {
      return Finding.fail(property, "renaming a name already renamed away failed with " + e
          + " instead of 'no such file'", "a worker could not tell a lost claim from an I/O error");
    }
    if (!Files.exists(b) || Files.exists(a)) {
      return Finding.fail(property, "after a rename the old name exists or the new one does not",
          "a claimed setting could stay claimable");
    }
    return Finding.pass(property, "a renamed file moves; renaming the old name again fails with 'no such file'",
        "one worker wins each claim");
  }

  static Finding renameReplaces(Path scratch) throws IOException {
    String property = "rename over an existing file";
    Path target = write(scratch.resolve("replace"), "old");
    Path next = write(scratch.resolve("replace-next"), "new");
    try {
      Files.move(next, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      return Finding.fail(property, "failed: " + e, "master.json, progress and worker status files are rewritten by"
          + " renaming a new file over the old one: the master would stop at its first heartbeat");
    }
    String now = Files.readString(target);
    return now.equals("new") ? Finding.pass(property, "replaces the old file in one step",
        "readers see the old or the new master.json, never half of one")
        : Finding.fail(property, "the target still reads '" + now + "'", "heartbeats and progress would not show");
  }

  static Finding linkNeverReplaces(Path scratch) throws IOException {
    String property = "hard link that never replaces (publishing)";
    Path first = write(scratch.resolve("result-first"), "first");
    Path second = write(scratch.resolve("result-second"), "second");
    Path result = scratch.resolve("result");
    try {
      Files.createLink(result, first);
    } catch (UnsupportedOperationException | IOException e) {
      return Finding.fail(property, "no hard links (" + e + ")",
          "a result is published by linking it into results/ so that it never replaces another: none could be");
    }
    try {
      Files.createLink(result, second);
      return Finding.fail(property, "a second link onto the same name succeeded",
          "a second result for a setting could replace the accepted one");
    } catch (FileAlreadyExistsException expected) {
      // the second publisher learns it lost
    } catch (IOException e) {
      return Finding.fail(property, "a second link onto a taken name failed with " + e + " instead of 'file exists'",
          "a worker that loses a race to publish cannot tell it lost: it retries until --io-patience and stops");
    }
    return Files.readString(result).equals("first")
        ? Finding.pass(property, "a second link onto a taken name fails with 'file exists'",
        "each setting keeps exactly one result")
        : Finding.fail(property, "the linked name reads another file", "results could be mixed up");
  }

  static Finding exclusiveCreate(Path scratch) throws IOException {
    String property = "exclusive create (O_EXCL)";
    Path file = write(scratch.resolve("excl"), "x");
    try {
      Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
      return Finding.fail(property, "creating an existing file with O_EXCL succeeded",
          "two writers could share a temporary file and publish a mixture");
    } catch (FileAlreadyExistsException expected) {
      return Finding.pass(property, "fails on an existing name", "each writer's temporary file is its own");
    }
  }

  static Finding directorySync(Path scratch) {
    String property = "directory fsync";
    try {
      DurableFiles.syncDirectory(scratch);
      return Finding.pass(property, "works", "a claim or result that was renamed or linked survives a crash");
    } catch (IOException e) {
      return Finding.fail(property, "fails: " + e, "hps forces a folder to disk after each rename that must survive"
          + " a crash: the master and workers would stop at the first one");
    }
  }

  static Finding modificationTimes(Path scratch) throws IOException {
    String property = "modification times (heartbeats)";
    Path file = write(scratch.resolve("beat"), "x");
    Instant set = Instant.parse("2026-01-01T00:00:00.123456789Z");
    try {
      Files.setLastModifiedTime(file, FileTime.from(set));
    } catch (IOException e) {
      return Finding.fail(property, "cannot be set: " + e, "a worker's heartbeat sets its claim file's modification"
          + " time: every lease would expire");
    }
    Instant read = Files.getLastModifiedTime(file).toInstant();
    Duration off = Duration.between(read, set).abs();
    if (off.compareTo(Duration.ofSeconds(2)) > 0) {
      return Finding.fail(property, "set to " + set + ", read back as " + read, "heartbeats would not show");
    }
    String granularity = granularity(set, read);
    if (off.compareTo(Duration.ofMillis(999)) > 0 || granularity.endsWith(" s")) {
      return Finding.warn(property, "kept to " + granularity, "a heartbeat is a changed modification time, one every"
          + " lease/6: keep --lease at 12 s or more so that two heartbeats never fall in one time step");
    }
    return Finding.pass(property, "set and read back to " + granularity, "heartbeats show at once");
  }

  static String granularity(Instant set, Instant read) {
    long lost = Duration.between(read, set).abs().toNanos();
    for (long step : new long[] {1, 1_000, 1_000_000, 10_000_000, 1_000_000_000L}) {
      if (lost < step) {
        return step == 1 ? "the nanosecond" : step == 1_000 ? "the microsecond" : step == 1_000_000 ? "the millisecond"
            : step == 10_000_000 ? "10 ms" : "1 s";
      }
    }
    return "2 s";
  }

  static Finding freeSpace(Path dir) throws IOException {
    String property = "free space";
    long free = Files.getFileStore(dir).getUsableSpace();
    String seen = free < 1L << 30 ? String.format(Locale.ROOT, "%.1f MiB free", free / (double) (1L << 20))
        : String.format(Locale.ROOT, "%.1f GiB free", free / (double) (1L << 30));
    if (free < 64L << 20) {
      return Finding.warn(property, seen, "nearly full: when a write fails for space, hps waits for space (up to"
          + " --io-patience) and goes on");
    }
    if (free < 1L << 30) {
      return Finding.warn(property, seen, "enough for settings and results, not for many checkpoints");
    }
    return Finding.pass(property, seen, "");
  }

  static Finding clockOffset(Path scratch) throws IOException {
    String property = "clock offset of file times";
    Instant before = Instant.now();
    Path file = write(scratch.resolve("clock"), "x");
    Instant after = Instant.now();
    Instant stamped = Files.getLastModifiedTime(file).toInstant();
    double offset = stamped.isBefore(before.minusSeconds(1)) ? -seconds(Duration.between(stamped, before))
        : stamped.isAfter(after.plusSeconds(1)) ? seconds(Duration.between(after, stamped)) : 0;
    return Finding.info(property, offset == 0 ? "new files are stamped with this host's time (within 1 s)"
        : String.format(Locale.ROOT, "new files are stamped %.1f s %s this host's clock", Math.abs(offset),
        offset > 0 ? "ahead of" : "behind"), "hps compares no timestamp another host wrote with its own clock"
        + " (leases run on the master's own clock; another host's master is alive while master.json changes), so an"
        + " offset costs nothing; only 'updated N s ago' in hps status reads off by it");
  }

  /**
   * How long a file created through {@code writer} takes to show in a listing of {@code reader} (masters and workers
   * list pending/, claimed/ and results/ to find new files, so a cached listing delays them as much).
   */
  static Finding visibility(Path writer, Path reader, String property, String late)
      throws IOException, InterruptedException {
    String name = "visible-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    // Looked for before it exists, as a master polls for a result and a worker lists pending/: a mount that caches
    // "no such file" or a listing shows the new file only when that cache expires (sshfs: 20 s by default).
    Files.exists(reader.resolve(name));
    listed(reader, name);
    write(writer.resolve(name), "seen");
    long start = System.nanoTime();
    while (!listed(reader, name)) {
      if (System.nanoTime() - start > NEVER.toNanos()) {
        return Finding.fail(property, "not listed after " + NEVER.toSeconds() + " s", "the two paths are not the"
            + " same directory (or a mount's listings are cached for longer than that): " + late + " never");
      }
      Thread.sleep(5);
    }
    double ms = (System.nanoTime() - start) / 1e6;
    String seen = String.format(Locale.ROOT, "listed after %.0f ms (looked up and listed before it was made)", ms);
    return ms > 2_000 ? Finding.warn(property, seen, late + " that much later (a mount that caches directory"
        + " listings: sshfs -o cache_timeout=N, NFS acdirmin/actimeo); the master looks results up by name, which"
        + " such caches do not delay; keep --lease well above the delay") : Finding.pass(property, seen,
        "settings and results cross at once");
  }

  private static boolean listed(Path dir, String name) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().equals(name));
    } catch (IOException notYet) {
      return false;
    }
  }

  static Finding claimRace(Path scratch, Path there) throws IOException, InterruptedException {
    String property = "two mounts renaming one file (claims across machines)";
    for (int i = 0; i < RACES; i++) {
      write(scratch.resolve("race-" + i), "x");
    }
    awaitAll(there, "race-", RACES);
    int[][] won = race(i -> move(scratch.resolve("race-" + i), scratch.resolve("here-" + i)),
        i -> move(there.resolve("race-" + i), there.resolve("there-" + i)));
    int both = 0;
    int neither = 0;
    for (int i = 0; i < RACES; i++) {
      int winners = wins(won[0][i]) + wins(won[1][i]);
      both += winners == 2 ? 1 : 0;
      neither += winners == 0 ? 1 : 0;
    }
    int errors = errors(won);
    String seen = String.format(Locale.ROOT, "%d files, each renamed by both mounts at once: %d won here, %d there,"
        + " %d by both, %d by neither%s", RACES, count(won[0], WON), count(won[1], WON), both, neither, errorText(won));
    return both > 0 ? Finding.fail(property, seen, "two workers on two machines could train and publish one setting")
        : errors > 0 ? Finding.fail(property, seen, "the loser of a claim is not told 'no such file': it cannot tell a"
        + " lost claim from an I/O error, and retries until --io-patience")
        : neither > 0 ? Finding.fail(property, seen, "a claim could fail on both machines: settings would be lost"
        + " until their lease ran out") : Finding.pass(property, seen, "exactly one machine wins each claim");
  }

  static Finding publishRace(Path scratch, Path there) throws IOException, InterruptedException {
    String property = "two mounts linking one name (results across machines)";
    for (int i = 0; i < RACES; i++) {
      write(scratch.resolve("mine-" + i), "here");
      write(scratch.resolve("theirs-" + i), "there");
    }
    awaitAll(there, "theirs-", RACES);
    int[][] won = race(i -> link(scratch.resolve("name-" + i), scratch.resolve("mine-" + i)),
        i -> link(there.resolve("name-" + i), there.resolve("theirs-" + i)));
    int both = 0;
    int neither = 0;
    int mixed = 0;
    for (int i = 0; i < RACES; i++) {
      int winners = wins(won[0][i]) + wins(won[1][i]);
      both += winners == 2 ? 1 : 0;
      neither += winners == 0 ? 1 : 0;
      if (winners == 1) {
        String content = Files.readString(scratch.resolve("name-" + i));
        mixed += content.equals(won[0][i] == WON ? "here" : "there") ? 0 : 1;
      }
    }
    String seen = String.format(Locale.ROOT, "%d names, each linked by both mounts at once: %d won here, %d there,"
        + " %d by both, %d by neither, %d holding the loser's file%s", RACES, count(won[0], WON), count(won[1], WON),
        both, neither, mixed, errorText(won));
    return both + neither + mixed > 0 ? Finding.fail(property, seen, "two results of one setting could both count,"
        + " or the accepted one be replaced")
        : errors(won) > 0 ? Finding.fail(property, seen, "the loser of a race to publish gets an error other than"
        + " 'file exists': our worker retries it as an I/O error, a worker of your own may give up; the accepted"
        + " result stays the first")
        : Finding.pass(property, seen, "exactly one result per setting");
  }

  private static volatile String lastError;

  /** Version {@code v} of the rewritten file: its length changes from version to version, as master.json's does. */
  static String version(int v) {
    return v + " " + "x".repeat(4000 + (v % 5) * 1000) + " end";
  }

  /** A file rewritten (by rename over it) through {@code writer}, read meanwhile through {@code reader}. */
  static Finding wholeReads(Path writer, Path reader, String property) throws IOException, InterruptedException {
    int versions = 200;
    String name = "rewritten-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    Path file = write(writer.resolve(name), version(0));
    awaitAll(reader, name, 1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<int[]> reads = pool.submit(() -> {
        int whole = 0;
        int torn = 0;
        int missing = 0;
        int failed = 0;
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Path mirrored = reader.resolve(name);
        while (System.nanoTime() < end) {
          try {
            String text = Files.readString(mirrored);
            int space = text.indexOf(' ');
            int v = space > 0 && text.substring(0, space).matches("\\d{1,3}") ? Integer.parseInt(text.substring(0,
                space)) : -1;
            boolean ok = v >= 0 && text.equals(version(v));
            whole += ok ? 1 : 0;
            torn += ok ? 0 : 1;
            if (ok && v == versions - 1) {
              break;
            }
          } catch (NoSuchFileException e) {
            missing++;
          } catch (IOException e) {
            failed++; // GlusterFS: "Stale file handle" when the file was replaced while it was read
            lastError = e.getMessage();
          }
        }
        return new int[] {whole, torn, missing, failed};
      });
      for (int v = 1; v < versions; v++) {
        Path next = write(writer.resolve("." + name + "-" + v), version(v));
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
      }
      int[] r = reads.get();
      String seen = String.format(Locale.ROOT, "%d versions written; %d reads whole, %d torn, %d found no file, %d"
          + " failed%s", versions, r[0], r[1], r[2], r[3], r[3] > 0 ? " (" + lastError + ")" : "");
      return r[1] > 0 ? Finding.fail(property, seen, "a machine reads a file another one replaced cut short or"
          + " mixed: master.json, progress and stop requests can read as damaged there (hps reads them again at its"
          + " next look; a foreign worker might not)")
          : r[2] + r[3] > 0 ? Finding.warn(property, seen, "a file replaced while another machine reads it can vanish"
          + " or fail to read there for a moment: hps reads it again at its next look, and retries I/O errors"
          + " (--io-patience)")
          : Finding.pass(property, seen, "other machines read the old or the new file, never half of one");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  interface Attempt {
    boolean run(int i) throws IOException;
  }

  /** A racer's outcome: it won, it was told it lost ("no such file", "file exists"), or another error. */
  static final int WON = 1;
  static final int LOST = 0;
  static final int ERROR = -1;
  /** The first error a racer met, for the report. */
  private static volatile String raceError;

  private static int wins(int outcome) {
    return outcome == WON ? 1 : 0;
  }

  private static int count(int[] outcomes, int outcome) {
    return (int) java.util.Arrays.stream(outcomes).filter(o -> o == outcome).count();
  }

  private static int errors(int[][] won) {
    return count(won[0], ERROR) + count(won[1], ERROR);
  }

  private static String errorText(int[][] won) {
    return errors(won) == 0 ? "" : String.format(Locale.ROOT, ", %d failed with another error (%s)", errors(won),
        raceError);
  }

  /** Runs {@code here} and {@code there} on each index at the same time; the outcome per side and index. */
  static int[][] race(Attempt here, Attempt there) throws InterruptedException, IOException {
    raceError = null;
    int[][] won = new int[2][RACES];
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < RACES; i++) {
        final int index = i;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<Callable<Integer>> sides = List.of(() -> {
          start.await();
          return outcome(here, index);
        }, () -> {
          start.await();
          return outcome(there, index);
        });
        List<Future<Integer>> done = pool.invokeAll(sides);
        for (int s = 0; s < 2; s++) {
          won[s][i] = done.get(s).get();
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("a race failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return won;
  }

  private static int outcome(Attempt attempt, int index) {
    try {
      return attempt.run(index) ? WON : LOST;
    } catch (IOException e) {
      if (raceError == null) {
        raceError = e.getMessage();
      }
      return ERROR;
    }
  }

  static boolean move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException lost) {
      return false;
    }
  }

  static boolean link(Path name, Path file) throws IOException {
    try {
      Files.createLink(name, file);
      return true;
    } catch (FileAlreadyExistsException lost) {
      return false;
    }
  }

  /** Waits until {@code count} files whose names start with {@code prefix} are listed through {@code there}. */
  static void awaitAll(Path there, String prefix, int count) throws IOException, InterruptedException {
    long start = System.nanoTime();
    while (true) {
      long seen;
      try (Stream<Path> files = Files.list(there)) {
        seen = files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
      } catch (NoSuchFileException notYet) {
        seen = 0;
      }
      if (seen >= count) {
        return;
      }
      if (System.nanoTime() - start > NEVER.toNanos()) {
        throw new IOException("files written here did not all show on " + there + " in " + NEVER.toSeconds() + " s");
      }
      Thread.sleep(10);
    }
  }

  private static boolean readable(Path file, String content) {
    try {
      return Files.readString(file).equals(content);
    } catch (IOException notYet) {
      return false;
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Path scratch(Path dir) throws IOException {
    return Files.createDirectory(dir.resolve(".hps-doctor-" + Long.toHexString(ThreadLocalRandom.current()
        .nextLong() >>> 1)));
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
