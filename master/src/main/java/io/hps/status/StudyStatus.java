package io.hps.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hps.goals.Goals;
import io.hps.goals.Importance;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.protocol.StudyConfig;
import io.hps.protocol.WorkerStatus;
import io.hps.space.Params;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import io.hps.study.StudyScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A snapshot of a study, as {@code hps status} prints it. {@code complete}, {@code diverged},
 * {@code stopped} and {@code failed} count accepted results by status; {@code running} counts claims;
 * {@code best} is the result with the lowest final validation error (in a study with one objective of its own
 * or constraints: the best feasible result by that objective; with several objectives none: see
 * {@code tradeoffs}). A result file is counted only
 * when it is for a setting a batch proposed and holds that setting's parameters, as the master checks
 * before it accepts one; the others (a file rewritten in place, a forged one) are {@code unverified},
 * left for the master to quarantine. {@code unreadable} lists files status could not read and why (a
 * damaged file the master has not quarantined yet, or one being rewritten). {@code failures} groups the
 * failed results by their reason, most frequent first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudyStatus(String study, String master, int trials, int settings, int pending, int running,
    int complete, int diverged, int stopped, int failed, int quarantined, int unverified, Best best,
    List<WorkerStatus> workers, List<Quarantined> quarantine, List<String> unreadable, Checkpoints checkpoints,
    List<Failure> failures, Tradeoffs tradeoffs, java.util.Map<String, java.util.Map<String, Double>> importance) {

  /**
   * A study with objectives or constraints of its own: the Pareto front of its feasible results (for one
   * objective, its best), its hypervolume with each objective scaled to [0, 1] over the results that have
   * every objective (reference point 1.1 in each), how many results break a constraint (results that lack
   * its metric, failed or diverged, are not counted), and the metrics that no result reports (an objective
   * or constraint that names a metric no trainer reports).
   */
  public record Tradeoffs(List<String> objectives, List<String> constraints, List<FrontPoint> front,
      Double hypervolume, int infeasible, List<String> unreported) {}

  /**
   * A result on the front: its id, its objective values (as the metrics read), parameters and {@code budget}, the
   * epochs it was trained for where its setting had one (a rung's).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FrontPoint(String id, List<Double> values, Params params, Integer budget) {}

  /** What {@code checkpoints/} holds, in a study that keeps checkpoints: settings with a folder, bytes. */
  public record Checkpoints(int settings, long bytes) {}

  public StudyStatus(String study, String master, int trials, int settings, int pending, int running, int complete,
      int diverged, int stopped, int failed, int quarantined, int unverified, Best best, List<WorkerStatus> workers,
      List<Quarantined> quarantine, List<String> unreadable) {
    this(study, master, trials, settings, pending, running, complete, diverged, stopped, failed, quarantined,
        unverified, best, workers, quarantine, unreadable, null, List.of(), null, java.util.Map.of());
  }

  /** Failed results that share a reason: how many, and the first few ids. */
  public record Failure(String reason, int count, List<String> ids) {
    /** The failed results grouped by reason, most frequent first (ties: the earliest id first). */
    public static List<Failure> of(List<Result> results) {
      java.util.Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
      results.stream().filter(r -> r.status() == Status.FAILED).sorted(Comparator.comparing(Result::id))
          .forEach(r -> byReason.computeIfAbsent(r.reason() == null ? "(no reason given)" : r.reason(),
              k -> new ArrayList<>()).add(r.id()));
      return byReason.entrySet().stream()
          .sorted(Comparator.comparing((java.util.Map.Entry<String, List<String>> e) -> -e.getValue().size()))
          .map(e -> new Failure(e.getKey(), e.getValue().size(), e.getValue().subList(0, Math.min(5,
              e.getValue().size()))))
          .toList();
    }
  }

  /** Whether the study has results and every one of them failed: a run of it should not exit 0. */
  public boolean everyResultFailed() {
    return failed > 0 && complete + diverged + stopped == 0;
  }

  /** The best result so far. */
  public record Best(String id, double valError, Params params) {}

  /** A quarantined file and the first line of its reason. */
  public record Quarantined(String file, String reason) {}

  static final String NOT_COUNTED = " (not counted; the master quarantines it)";

  /**
   * The results that match a setting some batch proposed, with the same parameters (what the master
   * accepts); each file that could not be read or does not match adds a line to {@code unreadable}.
   */
  public static List<Result> verifiedResults(StudyDirectory study, List<String> unreadable) throws IOException {
    java.util.Map<String, Params> proposed = proposed(study, unreadable);
    List<Result> accepted = new ArrayList<>();
    for (Result r : study.readResults((name, why) -> unreadable.add("results/" + name + ": " + why))) {
      Params expected = proposed.get(r.id());
      if (expected == null || !expected.sameAs(r.params())) {
        unreadable.add("results/" + r.id() + ".json: " + (expected == null ? "for a setting no batch proposed"
            : "its parameters differ from the setting's") + NOT_COUNTED);
      } else {
        accepted.add(r);
      }
    }
    return accepted;
  }

  /** Reads the study directory once, every file of it. */
  public static StudyStatus of(StudyDirectory study) throws IOException {
    return of(study, ResultCache.none());
  }

  /**
   * Reads the study directory once; the result files {@code cache} has are not read again, nor the batch files
   * it has unchanged. The results it counts have their last epoch only (see {@link ResultCache}).
   */
  public static StudyStatus of(StudyDirectory study, ResultCache cache) throws IOException {
    cache.prefetch(study);
    // the folders are listed while the configuration is read (a study of 100,000 results: 0.3 s each)
    java.util.concurrent.CompletableFuture<StudyScan> listing = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> {
          try {
            return StudyScan.of(study);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, runnable -> {
          Thread t = new Thread(runnable, "hps-status-scan");
          t.setDaemon(true);
          t.start();
        });
    StudyConfig config = study.readConfig().orElseThrow(() -> new NoSuchFileException(study.config()
        + " (no study here: create one with hps master or hps run)"));
    StudyScan scan;
    try {
      scan = listing.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.io.UncheckedIOException io) {
        throw io.getCause();
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    int[] counts = new int[Status.values().length];
    Result best = null;
    List<String> unreadable = new ArrayList<>();
    List<Result> accepted = cache.verifiedResults(study, scan, unreadable);
    int unverified = (int) unreadable.stream().filter(line -> line.endsWith(NOT_COUNTED)).count();
    for (Result r : accepted) {
      counts[r.status().ordinal()]++;
      if (r.objective().isPresent()
          && (best == null || r.objective().get() < best.objective().get())) {
        best = r;
      }
    }
    List<WorkerStatus> workers = new ArrayList<>();
    for (String name : StudyDirectory.list(study.workers())) {
      try {
        study.readWorker(study.workers().resolve(name)).ifPresent(workers::add);
      } catch (IOException e) {
        unreadable.add("workers/" + name + ": " + e.getMessage());
      }
    }
    workers = countingResults(workers, accepted);
    List<Quarantined> quarantined = new ArrayList<>();
    for (String name : Quarantine.list(study)) {
      var reasonFile = study.quarantine().resolve(name + Quarantine.REASON_SUFFIX);
      String reason = Files.exists(reasonFile) ? Files.readAllLines(reasonFile).stream()
          .filter(l -> l.startsWith("reason: ")).map(l -> l.substring(8)).findFirst().orElse("") : "";
      quarantined.add(new Quarantined(name, reason));
    }
    String master;
    try {
      master = study.readMaster().map(StudyStatus::describe).orElse("not started");
    } catch (IOException e) {
      master = "unknown (master.json is unreadable)";
      unreadable.add("master.json: " + e.getMessage());
    }
    long running = scan.claims().stream().filter(c -> !scan.results().contains(c.id())).count();
    int settings = (int) (scan.results().size() + scan.pending().stream().filter(i -> !scan.results().contains(i))
        .count() + running + scan.requeue().size());
    Goals goals = Goals.of(config);
    Best top = best == null ? null : new Best(best.id(), best.objective().get(), best.params());
    if (!goals.isDefault()) {
      // One objective of the study's own: its best feasible result (valError as it ended); several: none.
      List<Result> front = goals.objectives().size() == 1 ? goals.best(goals.front(accepted), 1) : List.of();
      top = front.isEmpty() ? null : new Best(front.get(0).id(), front.get(0).objective().orElse(Double.NaN),
          front.get(0).params());
    }
    return new StudyStatus(study.root().toString(), master, points(config), settings,
        scan.pending().size(), (int) running, counts[Status.COMPLETE.ordinal()], counts[Status.DIVERGED.ordinal()],
        counts[Status.STOPPED.ordinal()], counts[Status.FAILED.ordinal()], quarantined.size(), unverified, top, workers,
        quarantined, unreadable, checkpoints(config, study), Failure.of(accepted),
        goals.isDefault() ? null : tradeoffs(goals, accepted), importance(config, goals, accepted));
  }

  /** The front, hypervolume and infeasible count of a study with goals of its own. */
  public static Tradeoffs tradeoffs(Goals goals, List<Result> results) {
    List<Result> onFront = goals.front(results);
    // scaled over all results; the front of the front is itself, so it is not looked for twice
    Double volume = goals.range(results).map(r -> goals.normalisedHypervolume(onFront, r[0], r[1])).orElse(null);
    List<FrontPoint> front = onFront.stream()
        .sorted(Comparator.comparingDouble((Result r) -> goals.values(r).orElseThrow()[0]).thenComparing(Result::id))
        .map(r -> new FrontPoint(r.id(), java.util.Arrays.stream(goals.shown(r).orElseThrow()).boxed().toList(),
            r.params(), r.budget()))
        .toList();
    // Results without a constraint's metric (failed, diverged) are not feasible either, but they broke no bound.
    int infeasible = (int) results.stream().filter(goals::breaks).count();
    return new Tradeoffs(goals.objectives().stream().map(Object::toString).toList(),
        goals.constraints().stream().map(Object::toString).toList(), front, volume, infeasible,
        results.isEmpty() ? List.of() : List.copyOf(goals.unreported(results)));
  }

  /** Each objective's parameter importance (PED-ANOVA), once enough results have it; empty before. */
  public static java.util.Map<String, java.util.Map<String, Double>> importance(StudyConfig config, Goals goals,
      List<Result> results) {
    java.util.Map<String, java.util.Map<String, Double>> out = new java.util.LinkedHashMap<>();
    Importance importance;
    try {
      importance = new Importance(config.searchSpace());
    } catch (RuntimeException e) {
      return out; // a space study.json cannot give: status shows the rest (points() says the same)
    }
    for (io.hps.protocol.Objective o : goals.objectives()) {
      java.util.Map<String, Double> shares = importance.of(results, o);
      if (!shares.isEmpty()) {
        out.put(o.toString(), shares);
      }
    }
    return out;
  }

  /**
   * The workers, sorted by id, each with {@code completed} counting the study's results published under its
   * id: a worker restarted under the same id (hps run restarts one that died) starts its own count at 0.
   */
  public static List<WorkerStatus> countingResults(List<WorkerStatus> workers, java.util.Collection<Result> results) {
    java.util.Map<String, Integer> published = new java.util.HashMap<>();
    results.forEach(r -> published.merge(r.worker(), 1, Integer::sum));
    return countingPublished(workers, published);
  }

  /** {@link #countingResults} with the results already counted by worker id. */
  public static List<WorkerStatus> countingPublished(List<WorkerStatus> workers,
      java.util.Map<String, Integer> published) {
    return workers.stream().sorted(Comparator.comparing(WorkerStatus::worker))
        .map(w -> new WorkerStatus(w.schema(), w.worker(), w.host(), w.pid(), w.device(), w.started(), w.updated(),
            w.state(), w.setting(), w.epoch(), Math.max(w.completed(), published.getOrDefault(w.worker(), 0))))
        .toList();
  }

  private static Checkpoints checkpoints(StudyConfig config, StudyDirectory study) throws IOException {
    if (!config.keepsCheckpoints()) {
      return null;
    }
    io.hps.study.Checkpoints folder = new io.hps.study.Checkpoints(study);
    return new Checkpoints(folder.settings().size(), folder.bytes());
  }

  /** The parameters of every setting the study's batch files propose, by id. */
  static java.util.Map<String, Params> proposed(StudyDirectory study, List<String> unreadable) {
    java.util.Map<String, Params> out = new java.util.HashMap<>();
    for (String name : StudyDirectory.list(study.batches())) {
      try {
        io.hps.protocol.Batch batch = StudyDirectory.readBatch(study.batches().resolve(name));
        batch.settings().forEach(st -> out.put(st.id(), st.params()));
      } catch (IOException | RuntimeException e) {
        unreadable.add("batches/" + name + ": " + e.getMessage()); // status shows what it can
      }
    }
    return out;
  }

  /** Points the study proposes in all: its trials, or a halving strategy's schedule. */
  static int points(StudyConfig config) {
    try {
      return (int) io.hps.strategy.Strategies.create(config.strategy(), config.searchSpace(), config)
          .total(config.trials());
    } catch (RuntimeException e) {
      return config.trials();
    }
  }

  /**
   * The master's phase, and for a master "running" on record whether it looks alive: on this host, whether its
   * process exists; on another, how long ago master.json last changed by this machine's clock (a running
   * master rewrites it every second; clocks of different machines may differ, so it is said, not decided).
   */
  static String describe(io.hps.protocol.MasterStatus m) {
    String phase = m.phase().json();
    if (m.phase() != io.hps.protocol.MasterPhase.RUNNING) {
      return phase;
    }
    if (m.host().equals(io.hps.study.ThisHost.name())) {
      return io.hps.study.ThisHost.running(m.pid()) ? phase
          : phase + " on record, but its process (pid " + m.pid() + " on this host) is gone: it was killed or"
          + " crashed; run hps master (or hps run) again to resume the study";
    }
    long age = java.time.Duration.between(m.updated(), java.time.Instant.now()).toSeconds();
    return age <= 15 ? phase : phase + " on record (" + m.host() + ", pid " + m.pid() + "), but master.json last"
        + " changed " + age + " s ago by this machine's clock, and a running master rewrites it every second: it is"
        + " probably dead (or the two clocks differ by that much)";
  }
}
