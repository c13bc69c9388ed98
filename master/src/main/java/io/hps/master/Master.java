package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Ids;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.strategy.SearchStrategy;
import io.hps.study.BadFileException;
import io.hps.study.DurableFiles;
import io.hps.study.Patience;
import io.hps.study.Quarantine;
import io.hps.study.StaleTempFiles;
import io.hps.study.StudyDirectory;
import io.hps.study.StudyScan;
import io.hps.study.StudyScan.ClaimFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Drives one study to its end: proposes settings (synchronous batches, or a window of settings in
 * flight), accepts exactly one result per setting, expires silent leases, retries within the budget,
 * and writes {@code master.json} with phase {@code finished} when every setting has its result.
 */
public final class Master {
  static final String NAME = "master";

  private final StudyDirectory study;
  private final StudyConfig config;
  private final SearchStrategy strategy;
  /** Early stopping, when the study has a stopping rule. */
  private final StopRequests stopRequests;
  private final Clock clock;
  private final PrintWriter log;
  private final MasterOptions options;
  private final Leases leases;
  private final MasterFile masterFile;
  private final Map<String, Integer> missingScans = new HashMap<>();
  private final Map<String, Setting> retried = new HashMap<>();
  /** Why the last result file of a setting was quarantined, for the reason of its next attempt. */
  private final Map<String, String> quarantinedResults = new HashMap<>();
  private static final Duration FULL_SCAN = Duration.ofSeconds(1);
  private Instant lastFullScan;
  private Instant lastTempClean;
  private volatile boolean stopping;
  private Ledger ledger;

  public Master(StudyDirectory study, StudyConfig config, SearchStrategy strategy, Clock clock, PrintWriter log,
      MasterOptions options) {
    this.study = study;
    this.config = config;
    this.strategy = strategy;
    this.stopRequests = config.stop() == null ? null
        : new StopRequests(study, io.hps.stopping.Stopping.parse(config.stop()).create(), log);
    this.clock = clock;
    this.log = log;
    this.options = options;
    this.leases = new Leases(Duration.ofMillis((long) (config.leaseSeconds() * 1000)));
    this.masterFile = new MasterFile(study, clock);
  }

  /** Runs until every setting of the study has its result, or {@link #stop()}; returns the results. */
  public List<Result> run() throws IOException, InterruptedException {
    Patience patience = new Patience(options.ioPatience(), log, "master");
    patience.call("creating the study's folders", () -> study.create());
    patience.call("taking the study (master.json)", () -> {
      masterFile.claim(options.force(), config.heartbeatSeconds());
      return null;
    });
    try {
      ledger = patience.call("reading batches/", () -> Ledger.load(study));
      log.printf(ledger.settings().isEmpty() ? "master: study %s: starting%n"
          : "master: study %s: resuming, %d settings written so far%n", study.root(), ledger.settings().size());
      while (!stopping) {
        // Every step starts from what the files say, so one cut short by an I/O error is simply run again.
        patience.call("reading and writing the study", () -> step());
        if (finished()) {
          patience.call("writing master.json", () -> {
            masterFile.verify();
            masterFile.write("finished");
            return null;
          });
          log.printf("master: finished, %d results%s%n", ledger.acceptedCount(), patience.survived() == 0 ? ""
              : " (" + patience.survived() + " I/O errors survived)");
          return ledger.results();
        }
        patience.call("writing master.json", () -> {
          masterFile.beat("running");
          return null;
        });
        Thread.sleep(options.pollMillis());
      }
      patience.call("writing master.json", () -> {
        masterFile.verify();
        masterFile.write("stopped");
        return null;
      });
      return ledger.results();
    } catch (MasterFile.Replaced replaced) {
      log.printf("master: %s%n", replaced.getMessage());
      throw replaced;
    } finally {
      log.flush();
    }
  }

  /** Asks the loop to end after its current step. */
  public void stop() {
    stopping = true;
  }

  /**
   * One scan of the directory and every decision it calls for; true when something changed. Claims and
   * results are listed every step; pending and requeue (for lost settings) at most once a second.
   */
  boolean step() throws IOException {
    if (ledger == null) {
      ledger = Ledger.load(study);
    }
    Instant now = clock.instant();
    boolean full = lastFullScan == null || !now.isBefore(lastFullScan.plus(FULL_SCAN));
    if (full) {
      lastFullScan = now;
    }
    StudyScan scan = full ? StudyScan.of(study) : StudyScan.claimsAndResults(study, ledger.awaited());
    boolean progress = acceptResults(scan);
    for (Path stray : scan.strays()) {
      progress |= Quarantine.quarantine(study, stray, "the name is not <id>.json with a safe id", NAME);
    }
    progress |= handleClaims(scan, now);
    for (String id : scan.requeue()) {
      progress |= requeue(study.requeue().resolve(id + ".json"), null, "lease expired (the requeue was interrupted)",
          now);
    }
    for (String id : scan.pending()) {
      if (ledger.isAccepted(id)) {
        Files.deleteIfExists(study.pending().resolve(id + ".json"));
      } else if (ledger.setting(id) == null) {
        // Not proposed by this study (no batch file has it): a worker must not train it.
        progress |= Quarantine.quarantine(study, study.pending().resolve(id + ".json"),
            "setting file is for a setting this study never proposed (no batches/ file holds " + id + ")", NAME);
      }
    }
    if (full) {
      progress |= recoverMissing(scan, now);
    }
    if (lastTempClean == null || !now.isBefore(lastTempClean.plus(Duration.ofMinutes(1)))) {
      lastTempClean = now;
      int removed = StaleTempFiles.clean(study, now, StaleTempFiles.AGE);
      if (removed > 0) {
        log.printf("master: removed %d temporary file(s) older than %s that dead writers left%n", removed,
            StaleTempFiles.AGE);
      }
    }
    if (stopRequests != null && full) {
      progress |= stopRequests.judge(ledger, now);
    }
    progress |= propose(now);
    return progress;
  }

  private boolean acceptResults(StudyScan scan) throws IOException {
    boolean progress = false;
    for (String id : scan.results()) {
      if (ledger.isAccepted(id)) {
        continue;
      }
      Path file = study.result(id);
      try {
        Result result = StudyDirectory.readResult(file);
        Setting setting = ledger.setting(id);
        if (!result.id().equals(id)) {
          throw new BadFileException("holds result id '" + result.id() + "' under the name " + id + ".json");
        }
        if (setting == null) {
          throw new BadFileException("is for a setting this study never proposed");
        }
        java.util.Optional<String> difference = setting.params().difference(result.params());
        if (difference.isPresent()) {
          throw new BadFileException("has parameters that differ from setting " + id + "'s: "
              + difference.get());
        }
        ledger.accept(result);
        if (stopRequests != null) {
          stopRequests.forget(result.id());
        }
        progress = true;
      } catch (BadFileException e) {
        quarantinedResults.put(id, e.getMessage());
        progress |= Quarantine.quarantine(study, file, "result file " + e.getMessage(), NAME);
      }
    }
    return progress;
  }

  private boolean handleClaims(StudyScan scan, Instant now) throws IOException {
    boolean progress = false;
    List<Path> present = new ArrayList<>();
    for (ClaimFile claim : scan.claims()) {
      present.add(claim.file());
      if (!leases.expired(claim, now)) {
        continue;
      }
      if (ledger.isAccepted(claim.id()) || ledger.setting(claim.id()) == null) {
        Files.deleteIfExists(claim.file());
        continue;
      }
      String reason = String.format("lease expired: worker %s sent no heartbeat for %.0f s%s", claim.worker(),
          leases.silentSeconds(claim, now), claim.publishing() ? " while publishing" : "");
      Path moved = study.requeue().resolve(claim.id() + ".json");
      if (DurableFiles.move(claim.file(), moved)) {
        log.printf("master: %s: %s%n", claim.id(), reason);
        if (stopRequests != null) {
          stopRequests.forget(claim.id());
        }
        progress |= requeue(moved, claim.worker(), reason, now);
      }
    }
    leases.retain(new java.util.HashSet<>(present));
    return progress;
  }

  /** Turns a file moved into {@code requeue/} into the next attempt, or a failed result past the budget. */
  private boolean requeue(Path file, String worker, String reason, Instant now) throws IOException {
    String id = StudyDirectory.idOf(file.getFileName().toString()).orElseThrow();
    Setting setting = ledger.setting(id);
    if (setting == null || ledger.isAccepted(id) || Files.exists(study.pending().resolve(id + ".json"))) {
      Files.deleteIfExists(file);
      return true;
    }
    try {
      setting = StudyDirectory.readSetting(file);
    } catch (BadFileException e) {
      Quarantine.quarantine(study, file, "setting file " + e.getMessage(), NAME);
      return true;
    }
    retry(setting, worker, reason, now);
    Files.deleteIfExists(file);
    return true;
  }

  private void retry(Setting setting, String worker, String reason, Instant now) throws IOException {
    Setting next = setting.retry(worker, reason, now);
    retried.put(next.id(), next);
    if (next.attempt() > config.retries() + 1) {
      String reasons = next.history().stream().map(a -> "attempt " + a.attempt() + ": " + a.reason())
          .collect(Collectors.joining("; "));
      Result failed = Result.of(next, Status.FAILED, "retry budget of " + config.retries() + " spent; " + reasons,
          NAME, null, now, List.of(), Map.of());
      DurableFiles.publishOnce(study.result(setting.id()), failed);
      log.printf("master: %s failed after %d attempts%n", setting.id(), setting.attempt());
    } else {
      DurableFiles.writeJson(study.pending().resolve(setting.id() + ".json"), next, true);
    }
  }

  /**
   * A proposed setting found nowhere in two scans in a row (its result was quarantined, or a file was
   * deleted) is written to pending again as a new attempt. Two scans, because a setting handed back
   * from a claim to pending can slip between the listings of one scan.
   */
  private boolean recoverMissing(StudyScan scan, Instant now) throws IOException {
    boolean progress = false;
    for (Setting setting : ledger.settings()) {
      String id = setting.id();
      if (ledger.isAccepted(id) || scan.holds(id)) {
        missingScans.remove(id);
        continue;
      }
      int seen = missingScans.merge(id, 1, Integer::sum);
      if (seen >= 2) {
        missingScans.remove(id);
        log.printf("master: %s has no file anywhere; writing it to pending again%n", id);
        String quarantined = quarantinedResults.remove(id);
        retry(retried.getOrDefault(id, setting), null, quarantined != null
            ? "its result was quarantined: result file " + quarantined
            : "no file for the setting was found (file removed)", now);
        progress = true;
      }
    }
    return progress;
  }

  private boolean propose(Instant now) throws IOException {
    int remaining = (int) strategy.total(config.trials()) - ledger.points();
    if (remaining <= 0) {
      return false;
    }
    int count;
    if ("sync".equals(config.mode())) {
      count = ledger.allAccepted() ? Math.min(config.batch(), remaining) : 0;
    } else {
      // Top up once a quarter of the window is free: one batch file per few results, not per result.
      int free = (int) (config.batch() - ledger.pointsInFlight());
      count = free >= Math.max(1, config.batch() / 4) || free >= remaining ? Math.min(remaining, free) : 0;
    }
    if (count <= 0) {
      return false;
    }
    List<Params> points = strategy.propose(ledger.points(), ledger.results(), count);
    if (points.isEmpty()) {
      return false;
    }
    masterFile.verify(); // a replaced master must not write another batch
    int number = ledger.nextBatch();
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      int point = ledger.points() + i;
      Params params = points.get(i);
      long seed = params.getLong("seed", config.seed());
      for (int r = 0; r < config.repeats(); r++) {
        settings.add(new Setting(Ids.setting(point * config.repeats() + r), point, r, number, now,
            params.with("seed", seed + r)));
      }
    }
    Batch batch = new Batch(1, number, now, ledger.acceptedCount(), settings);
    DurableFiles.writeJson(study.batches().resolve(Batch.fileName(number)), batch, true);
    ledger.add(batch);
    for (Setting s : settings) {
      DurableFiles.replace(study.pending().resolve(s.id() + ".json"), s, false);
    }
    log.printf("master: batch %d: %d settings (%s .. %s)%n", number, settings.size(), settings.get(0).id(),
        settings.get(settings.size() - 1).id());
    return true;
  }

  private boolean finished() {
    long total = strategy.total(config.trials());
    return ledger.allAccepted() && (ledger.points() >= total
        || strategy.propose(ledger.points(), ledger.results(), 1).isEmpty());
  }
}
