package io.hps.dashboard;

import io.hps.protocol.Batch;
import io.hps.protocol.MasterStatus;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StudyConfig;
import io.hps.protocol.WorkerStatus;
import io.hps.study.Limits;
import io.hps.study.DurableFiles;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a study directory holds, read incrementally: a {@link #refresh} reads only what changed since the
 * last one (results are never replaced, so each is read once; progress, worker and master files when their
 * modification time changed; batch files once each). It never writes. A malformed file is kept as a
 * problem to show, not an error. {@link #snapshot} hands out an immutable view for a page.
 */
final class StudyView {
  /** A running setting: its claim, and its epochs so far when the worker reports them. */
  record Running(String id, String worker, FileTime touched, boolean publishing, Progress progress,
      FileTime progressAt, Setting claim) {
    /**
     * When the trial started, as well as the files tell: the progress file's time less its last epoch's
     * elapsed seconds; before the first epoch, null.
     */
    Long startMillis() {
      if (progress == null || progress.epochs().isEmpty() || progressAt == null) {
        return null;
      }
      return progressAt.toMillis() - (long) (progress.epochs().get(progress.epochs().size() - 1).elapsedSeconds() * 1000);
    }
  }

  /** A file that could not be read, and why. */
  record Problem(String file, String reason) {}

  /** A quarantined file and its reason file's lines. */
  record Quarantined(String name, String file, String reason, String by, String at) {}

  /** Everything one page needs, as of one refresh. */
  record Snapshot(long version, StudyConfig config, MasterStatus master, Map<String, Setting> settings,
      Map<String, Result> results, List<String> pending, Map<String, Running> running, List<WorkerStatus> workers,
      List<Quarantined> quarantine, List<Problem> problems, String slurmJobs, long refreshedAtMillis) {}

  /**
   * The threads that read a study's files beside the one that asked (two: this machine's cores are often few,
   * and the master and workers may share them).
   */
  private static final java.util.concurrent.ForkJoinPool READERS = new java.util.concurrent.ForkJoinPool(2);

  private final StudyDirectory study;
  private final long minIntervalMillis;
  private long lastRefresh;
  /**
   * Counts the changes seen, from this server's start time in milliseconds: a page left open while the server
   * restarted asks with a version this one never had (a version counts at most twice a second), so it is sent
   * the whole table instead of only what changed.
   */
  private long version = System.currentTimeMillis();
  private Snapshot snapshot;

  private StudyConfig config;
  private FileTime configTime;
  private MasterStatus master;
  private final Map<String, Setting> settings = new LinkedHashMap<>();
  private final Set<String> batchesRead = new HashSet<>();
  private final Map<String, Result> results = new TreeMap<>();
  private final Map<String, Problem> badResults = new TreeMap<>();
  private final Map<String, Progress> progress = new HashMap<>();
  private final Map<String, Setting> claims = new HashMap<>();
  private final Map<String, FileTime> progressTimes = new HashMap<>();
  private final Map<String, Quarantined> quarantine = new TreeMap<>();
  /** The results counted by the worker that published them, kept as results come and go. */
  private final Map<String, Integer> published = new HashMap<>();
  private String fingerprint = "";
  /** Whether results or settings changed since the last snapshot: else it shares the last one's copies. */
  private boolean resultsChanged = true;
  private boolean settingsChanged = true;
  /** results/'s modification time as last listed, when it was first seen, and whether a listing settled it. */
  private FileTime resultsTime;
  private long resultsTimeSeen;
  private boolean resultsSettled;

  StudyView(StudyDirectory study, long minIntervalMillis) {
    this.study = study;
    this.minIntervalMillis = minIntervalMillis;
  }

  Path root() {
    return study.root();
  }

  /** The view as of the last refresh, refreshing first when the last one is older than the interval. */
  synchronized Snapshot snapshot() {
    long now = System.currentTimeMillis();
    if (snapshot == null || now - lastRefresh >= minIntervalMillis) {
      refresh();
      lastRefresh = System.currentTimeMillis();
    }
    return snapshot;
  }

  /** Reads what changed; bumps the version when anything did. */
  private void refresh() {
    List<Problem> problems = new ArrayList<>();
    if (!Files.isDirectory(study.root())) {
      // The study was deleted (or its disk went away): show nothing rather than what was.
      config = null;
      settings.clear();
      batchesRead.clear();
      results.clear();
      published.clear();
      resultsChanged = true;
      settingsChanged = true;
      resultsTime = null;
      badResults.clear();
      progress.clear();
      progressTimes.clear();
      claims.clear();
      quarantine.clear();
      problems.add(new Problem(study.root().toString(), "the study directory is gone"));
    }
    readConfig(problems);
    MasterStatus m = null;
    try {
      m = study.readMaster().orElse(null);
    } catch (IOException e) {
      problems.add(new Problem("master.json", e.getMessage()));
    }
    master = m;
    // Batch files and result files are read side by side: at the start of a big study each takes seconds.
    List<Problem> batchProblems = new ArrayList<>();
    java.util.concurrent.CompletableFuture<Void> batches = java.util.concurrent.CompletableFuture.runAsync(
        () -> readBatches(batchProblems), READERS);
    try {
      readResults();
    } finally {
      batches.join();
    }
    problems.addAll(batchProblems);
    List<String> pending = ids(StudyDirectory.list(study.pending()));
    Map<String, Running> running = readClaims(problems);
    List<WorkerStatus> workers = io.hps.status.StudyStatus.countingPublished(readWorkers(problems), published);
    List<Quarantined> quarantined = readQuarantine();
    String slurm = readSlurm(problems);
    problems.addAll(badResults.values());
    String now = results.size() + "/" + badResults.size() + "/" + pending + "/" + running + "/" + workers + "/"
        + quarantined + "/" + settings.size() + "/" + (master == null ? "" : master.phase() + "" + master.updated())
        + "/" + (slurm == null ? 0 : slurm.hashCode()) + "/" + problems.size();
    if (!now.equals(fingerprint) || snapshot == null) {
      version++;
      fingerprint = now;
    }
    // a study of 100,000 settings: copying them at each refresh (twice a second) was most of a poll's time
    Map<String, Setting> settingsNow = settingsChanged || snapshot == null ? Map.copyOf(settings)
        : snapshot.settings();
    Map<String, Result> resultsNow = resultsChanged || snapshot == null
        ? java.util.Collections.unmodifiableMap(new TreeMap<>(results)) : snapshot.results();
    settingsChanged = false;
    resultsChanged = false;
    snapshot = new Snapshot(version, config, master, settingsNow, resultsNow, List.copyOf(pending),
        Map.copyOf(running), List.copyOf(workers), List.copyOf(quarantined), List.copyOf(problems), slurm,
        System.currentTimeMillis());
  }

  /** Why study.json's space cannot be read, as found when the file was last read; null when it can. */
  private Problem spaceProblem;

  private void readConfig(List<Problem> problems) {
    try {
      FileTime t = Files.getLastModifiedTime(study.config(), LinkOption.NOFOLLOW_LINKS);
      if (config == null || !t.equals(configTime)) {
        config = study.readConfig().orElse(null);
        configTime = t;
        spaceProblem = null;
        try {
          if (config != null) {
            config.searchSpace(); // checked once per version of the file, not at every refresh
          }
        } catch (RuntimeException e) {
          spaceProblem = new Problem("study.json", "its search space cannot be read: " + e.getMessage());
        }
      }
      if (spaceProblem != null) {
        problems.add(spaceProblem);
      }
    } catch (NoSuchFileException e) {
      problems.add(new Problem("study.json", "missing: not a study (yet)"));
    } catch (IOException e) {
      problems.add(new Problem("study.json", e.getMessage()));
    }
  }

  /** Batch files are written once: each is read once. */
  private void readBatches(List<Problem> problems) {
    for (String name : StudyDirectory.list(study.batches())) {
      if (batchesRead.contains(name)) {
        continue;
      }
      try {
        Batch batch = StudyDirectory.readBatch(study.batches().resolve(name));
        batch.settings().forEach(s -> settings.put(s.id(), s));
        batchesRead.add(name);
        settingsChanged = true;
      } catch (IOException | RuntimeException e) {
        problems.add(new Problem("batches/" + name, e.getMessage()));
      }
    }
  }

  /**
   * Results are published once and never replaced: each name is read once (a bad one until it goes). The
   * folder is listed only when its modification time changed, and for 3 s after each change (a filesystem
   * whose times have a coarse granularity gives a later change within the same tick the same time).
   */
  private void readResults() {
    long now = System.nanoTime();
    try {
      FileTime t = Files.getLastModifiedTime(study.results(), LinkOption.NOFOLLOW_LINKS);
      if (!t.equals(resultsTime)) {
        resultsTime = t;
        resultsTimeSeen = now;
        resultsSettled = false;
      } else if (resultsSettled) {
        return; // nothing was added or removed since a listing that came 3 s after the last change
      } else {
        resultsSettled = now - resultsTimeSeen >= 3_000_000_000L;
      }
    } catch (IOException e) {
      resultsTime = null; // absent or unreadable: list it (an absent folder lists empty)
    }
    List<String> names = StudyDirectory.list(study.results());
    Set<String> present = new HashSet<>();
    List<String> unread = new ArrayList<>();
    for (String name : names) {
      present.add(name);
      String id = StudyDirectory.idOf(name).orElse(null);
      if (!(id != null && results.containsKey(id) || badResults.containsKey(name))) {
        unread.add(name);
      }
    }
    // Many new files (a big study's first look): parsed on two threads, then taken in in the listing's order.
    List<Read> read = unread.size() < 256 ? unread.stream().map(this::readResult).toList()
        : READERS.submit(() -> unread.parallelStream().map(this::readResult).toList()).join();
    for (int i = 0; i < unread.size(); i++) {
      String name = unread.get(i);
      Result r = read.get(i).result();
      if (read.get(i).problem() != null) {
        badResults.put(name, read.get(i).problem());
      } else if (r != null) {
        results.put(r.id(), r);
        published.merge(r.worker(), 1, Integer::sum);
        resultsChanged = true;
        progress.remove(r.id());
        progressTimes.remove(r.id());
      } // else gone: quarantined meanwhile
    }
    badResults.keySet().removeIf(name -> !present.contains(name));
    for (var it = results.entrySet().iterator(); it.hasNext(); ) {
      Result r = it.next().getValue();
      if (!present.contains(r.id() + ".json")) {
        it.remove();
        published.merge(r.worker(), -1, (a, b) -> a + b == 0 ? null : a + b);
        resultsChanged = true;
      }
    }
  }

  /** What reading a result file gave: the result, or the problem with the file, or neither (the file is gone). */
  private record Read(Result result, Problem problem) {}

  private Read readResult(String name) {
    try {
      Result r = StudyDirectory.readResult(study.results().resolve(name));
      return name.equals(r.id() + ".json") ? new Read(r, null)
          : new Read(null, new Problem("results/" + name, "holds the result of " + r.id()));
    } catch (NoSuchFileException gone) {
      return new Read(null, null);
    } catch (IOException | RuntimeException e) {
      return new Read(null, new Problem("results/" + name, e.getMessage()));
    }
  }

  private Map<String, Running> readClaims(List<Problem> problems) {
    Map<String, Running> running = new TreeMap<>();
    for (String worker : StudyDirectory.list(study.claimed())) {
      Path dir = study.claimed().resolve(worker);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      for (String name : StudyDirectory.list(dir)) {
        boolean publishing = name.endsWith(".publishing");
        String id = publishing ? name.substring(0, name.length() - ".publishing".length())
            : StudyDirectory.idOf(name).orElse(null);
        if (id == null || !io.hps.protocol.Ids.SAFE.matcher(id).matches() || results.containsKey(id)) {
          continue;
        }
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          problems.add(new Problem("claimed/" + worker + "/" + name, "not a regular file (a link?): not a claim"));
          continue;
        }
        FileTime touched = modified(file);
        Progress p = readProgress(id, problems);
        running.put(id, new Running(id, worker, touched, publishing, p, p == null ? null : progressTimes.get(id),
            readClaim(worker, id, file, problems)));
      }
    }
    claims.keySet().removeIf(key -> !running.containsKey(key.substring(key.indexOf('/') + 1)));
    progress.keySet().removeIf(id -> !running.containsKey(id));
    progressTimes.keySet().removeIf(id -> !running.containsKey(id));
    return running;
  }

  /**
   * A claim's setting file (its attempt and history), read once per worker and setting; a file that is whole
   * but not a setting is a problem to show, one that went away meanwhile (fenced, published) is not.
   */
  private Setting readClaim(String worker, String id, Path file, List<Problem> problems) {
    String key = worker + "/" + id;
    if (!claims.containsKey(key)) {
      try {
        claims.put(key, StudyDirectory.readSetting(file));
      } catch (io.hps.study.BadFileException e) {
        problems.add(new Problem("claimed/" + worker + "/" + file.getFileName(), e.getMessage()));
        return null;
      } catch (IOException | RuntimeException e) {
        return null; // being fenced or published: its result comes next
      }
    }
    return claims.get(key);
  }

  /**
   * A running setting's progress file, re-read only when it changed; one that is whole but not progress is a
   * problem to show (workers replace it atomically, so a torn one is never seen).
   */
  private Progress readProgress(String id, List<Problem> problems) {
    Path file = study.progress().resolve(id + ".json");
    FileTime t = modified(file);
    if (t == null) {
      return null;
    }
    if (!t.equals(progressTimes.get(id))) {
      try {
        Progress p = StudyDirectory.readProgress(file);
        if (p.id().equals(id)) {
          progress.put(id, p);
        }
        progressTimes.put(id, t);
      } catch (io.hps.study.BadFileException e) {
        problems.add(new Problem("progress/" + id + ".json", e.getMessage()));
        return progress.get(id);
      } catch (IOException | RuntimeException e) {
        return progress.get(id); // gone or being replaced: the last one read
      }
    }
    return progress.get(id);
  }

  private List<WorkerStatus> readWorkers(List<Problem> problems) {
    List<WorkerStatus> workers = new ArrayList<>();
    for (String name : StudyDirectory.list(study.workers())) {
      try {
        study.readWorker(study.workers().resolve(name)).ifPresent(workers::add);
      } catch (IOException | RuntimeException e) {
        problems.add(new Problem("workers/" + name, e.getMessage()));
      }
    }
    workers.sort(java.util.Comparator.comparing(WorkerStatus::worker));
    return workers;
  }

  /**
   * Quarantined files with their reasons. A reason file is read until it was read whole once: the
   * quarantining process moves the file first and writes its reason next.
   */
  private List<Quarantined> readQuarantine() {
    List<String> names = Quarantine.list(study);
    quarantine.keySet().retainAll(new HashSet<>(names));
    List<Quarantined> shown = new ArrayList<>();
    for (String name : names) {
      Quarantined known = quarantine.get(name);
      if (known != null) {
        shown.add(known);
        continue;
      }
      Map<String, String> lines = new HashMap<>();
      boolean read = true;
      try {
        String text = DurableFiles.readSmall(study.quarantine().resolve(name + Quarantine.REASON_SUFFIX), 1 << 16);
        for (String line : text.split("\n")) {
          int colon = line.indexOf(": ");
          if (colon > 0) {
            lines.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
          }
        }
        read = lines.containsKey("at"); // the last line: the file is whole
      } catch (IOException e) {
        lines.put("reason", "(no readable reason file yet: " + e.getMessage() + ")");
        read = false;
      }
      Quarantined q = new Quarantined(name, lines.getOrDefault("file", ""), lines.getOrDefault("reason", ""),
          lines.getOrDefault("by", ""), lines.getOrDefault("at", ""));
      if (read) {
        quarantine.put(name, q);
      }
      shown.add(q);
    }
    return shown;
  }

  private String readSlurm(List<Problem> problems) {
    Path file = study.root().resolve("slurm").resolve("jobs.json");
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      return DurableFiles.readSmall(file, Limits.SETTING);
    } catch (IOException e) {
      problems.add(new Problem("slurm/jobs.json", e.getMessage()));
      return null;
    }
  }

  private static List<String> ids(List<String> names) {
    List<String> ids = new ArrayList<>();
    for (String name : names) {
      StudyDirectory.idOf(name).ifPresent(ids::add);
    }
    return ids;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastModifiedTime();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return Objects.toString(study.root());
  }
}
