package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.MasterPhase;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StopRequest;
import io.hps.study.BadFileException;
import io.hps.study.DurableFiles;
import io.hps.study.Quarantine;
import io.hps.study.StaleTempFiles;
import io.hps.study.Checkpoints;
import io.hps.study.StudyDirectory;
import io.hps.study.StudyScan;
import io.hps.study.StudyScan.ClaimFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The master's side of the study directory (PROTOCOL.md). Claims and awaited results are looked at on
 * every {@link #look}; {@code pending/}, {@code requeue/}, lost settings and {@code progress/} at most
 * once a second, so that a master polling every 50 ms costs the disk little.
 */
public final class FileMasterQueue implements MasterQueue {
  private static final String NAME = RetryBudget.MASTER;
  private static final Duration FULL_SCAN = Duration.ofSeconds(1);

  private final StudyDirectory study;
  private final PrintWriter log;
  /** The study's rules (ledger, leases, retries, lost and unwritten settings): this class only stores. */
  private final StudyRules rules;
  private final Storage storage = new Storage();
  /** What the current look listed. */
  private StudyScan scan;
  private final MasterFile masterFile;
  private final Clock clock;
  /** The batch files this master has read or written: any other one was written by another master. */
  private final Set<String> known = new HashSet<>();
  /** Whether this look has checked that the study is still this master's (see {@link #owned}). */
  private boolean verifiedThisLook;
  /** Whether this look has listed batches/ for files of another master (see {@link #proposed}). */
  private boolean batchesListedThisLook;
  /** Whether the batches were read ({@link #batches}) since this queue was made. */
  private boolean loaded;
  /**
   * Results accepted but not yet returned by a look: a look cut short by an I/O error after accepting
   * some returns them with the next one, so the master never misses one.
   */
  private final List<Result> unreported = new ArrayList<>();
  /** Monotonic nanoseconds ({@link System#nanoTime} for the system clock) of the last full scan and clean. */
  private Long lastFullScan;
  private Long lastTempClean;
  /** This master's monotonic clock: leases and its own intervals never follow a step of the wall clock. */
  private final java.util.function.LongSupplier monotonic;
  private final StaleTempFiles temps;
  /** Claims of workers whose process ended, as {@link #workerEnded} found them (another thread adds them). */
  private final java.util.concurrent.ConcurrentLinkedQueue<EndedClaim> endedQueue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<Path, EndedClaim> ended = new HashMap<>();

  /** A claim file held by a worker whose process ended, as it was then (changed since: not the same claim). */
  private record EndedClaim(Path file, java.nio.file.attribute.FileTime modified, String why) {}

  /**
   * @param lease how long a claim may go without a heartbeat
   * @param retries attempts after the first before a setting is failed
   */
  public FileMasterQueue(StudyDirectory study, Duration lease, int retries, Clock clock, PrintWriter log) {
    this(study, lease, retries, clock, monotonicOf(clock), log);
  }

  /** The same with its own monotonic clock (nanoseconds), for tests that step the wall clock. */
  FileMasterQueue(StudyDirectory study, Duration lease, int retries, Clock clock,
      java.util.function.LongSupplier monotonic, PrintWriter log) {
    this.monotonic = monotonic;
    this.temps = new StaleTempFiles(study, StaleTempFiles.AGE);
    this.study = study;
    this.log = log;
    this.rules = new StudyRules(lease, retries, log);
    this.masterFile = new MasterFile(study, clock, log);
    this.clock = clock;
  }

  /**
   * A monotonic clock that goes with {@code clock}: {@link System#nanoTime} for the system's clock; for a
   * simulated one (the simulator, tests) its own time, which only moves forward anyway.
   */
  static java.util.function.LongSupplier monotonicOf(Clock clock) {
    if (clock.getClass() == Clock.systemUTC().getClass()) {
      return System::nanoTime;
    }
    return () -> clock.millis() * 1_000_000L;
  }

  @Override
  public void take(boolean force) throws IOException {
    study.create();
    masterFile.claim(force);
  }

  @Override
  public List<Batch> batches() throws IOException {
    List<Batch> batches = new ArrayList<>();
    for (String name : StudyDirectory.list(study.batches())) {
      Path file = study.batches().resolve(name);
      try {
        batches.add(StudyDirectory.readBatch(file));
      } catch (BadFileException e) {
        throw new IOException(file + " is damaged (" + e.getMessage() + "); the master cannot know what it"
            + " proposed. Restore the file or start a new study.", e);
      }
    }
    rules.reload(batches);
    loaded = true;
    known.clear();
    batches.forEach(b -> known.add(Batch.fileName(b.batch())));
    return batches;
  }

  @Override
  public void propose(Batch batch) throws IOException {
    ledger();
    masterFile.verify(); // a replaced master must not write another batch
    DurableFiles.writeJson(study.batches().resolve(Batch.fileName(batch.batch())), batch, true);
    known.add(Batch.fileName(batch.batch()));
    // The batch is proposed once its file is written: a setting that could not be written to pending/ is
    // written by a later look, so an error here must not undo the proposal.
    rules.proposed(batch, storage);
  }



  @Override
  public Look look(Instant now) throws IOException {
    Ledger ledger = ledger();
    verifiedThisLook = false;
    batchesListedThisLook = false;
    long tick = monotonic.getAsLong();
    boolean full = lastFullScan == null || tick - lastFullScan >= FULL_SCAN.toNanos();
    if (full) {
      lastFullScan = tick;
    }
    scan = full ? StudyScan.of(study) : StudyScan.claimsAndResults(study, ledger.awaited());
    rules.accept(scan.results(), storage, unreported);
    for (Path stray : scan.strays()) {
      owned();
      Quarantine.quarantine(study, stray, "the name is not <id>.json with a safe id", NAME);
    }
    rules.expire(claims(), now, tick, storage);
    for (String id : scan.requeue()) {
      Path file = study.requeue().resolve(id + ".json");
      Optional<Setting> setting = storage.requeued(file);
      if (setting.isPresent()) {
        rules.retry(setting.get(), null, "lease expired (the requeue was interrupted)", now, storage);
        Files.deleteIfExists(file);
      }
    }
    for (String id : scan.pending()) {
      if (ledger.isAccepted(id)) {
        owned();
        Files.deleteIfExists(study.pending().resolve(id + ".json"));
      } else if (!proposed(id)) {
        // Not proposed by this study (no batch file has it): a worker must not train it.
        owned();
        Quarantine.quarantine(study, study.pending().resolve(id + ".json"),
            "setting file is for a setting this study never proposed (no batches/ file holds " + id + ")", NAME);
      }
    }
    if (full) {
      rules.writeUnwritten(storage);
      rules.recoverLost(now, storage);
    }
    if (lastTempClean == null || tick - lastTempClean >= Duration.ofMinutes(1).toNanos()) {
      lastTempClean = tick;
      owned();
      int removed = temps.clean(tick);
      if (removed > 0) {
        log.printf("master: removed %d temporary file(s) older than %s that dead writers left%n", removed,
            StaleTempFiles.AGE);
      }
    }
    List<Progress> running = full ? running() : List.of();
    Look look = new Look(unreported, running);
    unreported.clear();
    return look;
  }

  @Override
  public void requestStop(Progress run, String reason, Instant now) throws IOException {
    DurableFiles.replace(study.stop().resolve(run.id() + ".json"), new StopRequest(1, run.id(), reason,
        run.lastEpoch(), now, run.worker(), run.attempt()), false);
  }

  @Override
  public boolean holdsCheckpoints() {
    return true;
  }

  @Override
  public void retainCheckpoints(Collection<String> finished, Set<String> keep) throws IOException {
    Checkpoints checkpoints = new Checkpoints(study);
    Set<String> done = new java.util.HashSet<>(finished);
    for (String id : checkpoints.settings()) {
      if (!done.contains(id)) {
        continue; // still training: its scratch or kept checkpoint is the worker's
      }
      String kept = null;
      for (String path : checkpoints.of(id)) {
        if (keep.contains(path)) {
          kept = path;
        }
      }
      checkpoints.dropAllBut(id, kept);
    }
  }

  @Override
  public void beat() throws IOException {
    masterFile.beat(MasterPhase.RUNNING);
  }

  @Override
  public void recordDigests(java.util.Map<String, String> digests) throws IOException {
    masterFile.verify();
    DurableFiles.writeJson(study.digests(), new io.hps.protocol.Digests(1, clock.instant(), digests), true);
  }

  @Override
  public void close(MasterPhase phase) throws IOException {
    masterFile.verify();
    masterFile.write(phase);
  }

  @Override
  public Ledger ledger() throws IOException {
    if (!loaded) {
      batches();
    }
    return rules.ledger();
  }


  @Override
  public void workerEnded(String worker, String why) {
    Path dir = study.claimed().resolve(worker);
    for (String name : StudyDirectory.list(dir)) {
      try {
        endedQueue.add(new EndedClaim(dir.resolve(name), Files.getLastModifiedTime(dir.resolve(name)), why));
      } catch (IOException gone) {
        // handed back or requeued meanwhile
      }
    }
  }

  /** The claims the current look listed, with how its worker ended where {@link #workerEnded} said so. */
  private List<StudyRules.HeldClaim> claims() {
    for (EndedClaim e; (e = endedQueue.poll()) != null; ) {
      ended.put(e.file(), e);
    }
    List<StudyRules.HeldClaim> claims = new ArrayList<>();
    Set<Path> present = new HashSet<>();
    for (ClaimFile claim : scan.claims()) {
      present.add(claim.file());
      EndedClaim gone = ended.get(claim.file());
      boolean orphan = gone != null && gone.modified().equals(claim.modified());
      claims.add(new StudyRules.HeldClaim(claim.file(), claim.id(), claim.worker(), claim.modified(),
          claim.publishing(), orphan ? gone.why() : null));
    }
    ended.keySet().retainAll(present);
    return claims;
  }

  /** The study directory as {@link StudyRules} store into it: every change checked for ownership first. */
  private final class Storage implements StudyRules.Storage {
    @Override
    public Optional<Result> result(String id) throws IOException {
      try {
        return Optional.of(StudyDirectory.readResult(study.result(id)));
      } catch (NoSuchFileException gone) {
        return Optional.empty();
      }
    }

    @Override
    public boolean proposed(String id) throws IOException {
      return FileMasterQueue.this.proposed(id);
    }

    @Override
    public void quarantineResult(String id, String why) throws IOException {
      owned();
      Quarantine.quarantine(study, study.result(id), why, NAME);
    }

    @Override
    public void forgetProgress(String id) throws IOException {
      FileMasterQueue.this.forgetProgress(id);
    }

    @Override
    public void dropClaim(StudyRules.HeldClaim claim) throws IOException {
      owned();
      Files.deleteIfExists((Path) claim.key());
    }

    @Override
    public Optional<Setting> takeBack(StudyRules.HeldClaim claim) throws IOException {
      owned();
      Path moved = study.requeue().resolve(claim.id() + ".json");
      return DurableFiles.move((Path) claim.key(), moved) ? requeued(moved) : Optional.empty();
    }

    /**
     * The setting in {@code file}, moved into {@code requeue/}, to be retried; empty (and the file removed or
     * quarantined) when there is nothing to retry: accepted, not proposed, back in pending/, or no setting.
     */
    Optional<Setting> requeued(Path file) throws IOException {
      owned();
      String id = StudyDirectory.idOf(file.getFileName().toString()).orElseThrow();
      Ledger ledger = rules.ledger();
      if (ledger.setting(id) == null || ledger.isAccepted(id) || Files.exists(study.pending().resolve(id + ".json"))) {
        Files.deleteIfExists(file);
        return Optional.empty();
      }
      try {
        return Optional.of(StudyDirectory.readSetting(file));
      } catch (BadFileException e) {
        Quarantine.quarantine(study, file, "setting file " + e.getMessage(), NAME);
        return Optional.empty();
      }
    }

    @Override
    public void settled(StudyRules.HeldClaim claim) throws IOException {
      Files.deleteIfExists(study.requeue().resolve(claim.id() + ".json"));
    }

    @Override
    public void makeClaimable(Setting setting, boolean retried) throws IOException {
      owned();
      Path file = study.pending().resolve(setting.id() + ".json");
      if (retried) {
        DurableFiles.writeJson(file, setting, true);
      } else {
        DurableFiles.replace(file, setting, false);
      }
    }

    @Override
    public void publishFailed(Result failed) throws IOException {
      owned();
      DurableFiles.publishOnce(study.result(failed.id()), failed);
    }

    @Override
    public boolean holds(String id) {
      return scan.holds(id);
    }
  }

  /** The running settings' progress files, without those that already have a stop request for this run. */
  private List<Progress> running() throws IOException {
    List<Progress> running = new ArrayList<>();
    for (String name : StudyDirectory.list(study.progress())) {
      Optional<String> id = StudyDirectory.idOf(name);
      if (id.isEmpty()) {
        continue; // not a progress file; it harms no one
      }
      if (rules.ledger().isAccepted(id.get())) {
        forgetProgress(id.get());
        continue;
      }
      Progress p;
      try {
        p = StudyDirectory.readProgress(study.progress().resolve(name));
      } catch (BadFileException | NoSuchFileException e) {
        continue; // being rewritten (or gone): read at the next look
      }
      if (!p.id().equals(id.get()) || p.epochs().isEmpty() || rules.ledger().setting(p.id()) == null) {
        continue;
      }
      Path stop = study.stop().resolve(name);
      if (Files.exists(stop)) {
        if (!stale(stop, p)) {
          continue;
        }
        Files.deleteIfExists(stop); // left from a run that was handed back or lost its lease
      }
      running.add(p);
    }
    return running;
  }

  /** Whether the stop request in {@code file} was made for another run than the one {@code p} reports. */
  private static boolean stale(Path file, Progress p) throws IOException {
    try {
      StopRequest request = StudyDirectory.readStopRequest(file);
      return !request.appliesTo(p.worker(), p.attempt() == null ? -1 : p.attempt())
          && !(request.attempt() != null && p.attempt() == null);
    } catch (BadFileException | NoSuchFileException e) {
      return false; // being written: it is judged again at the next look
    }
  }

  /**
   * Checks, once per look and before the look changes anything (a quarantine, a requeue, a deletion, a
   * retry), that this master still owns the study: a master paused past a takeover (SIGSTOP, a long GC, a
   * suspended VM) must find out before it acts on a study another master runs now.
   */
  private void owned() throws IOException {
    if (!verifiedThisLook) {
      masterFile.verify();
      verifiedThisLook = true;
    }
  }

  /**
   * Whether a batch file holds {@code id}. A setting this master's ledger lacks is looked for in batch files it
   * has not read: only the master that owns a study writes them, so finding one means another master took
   * the study over (one that keeps no owner token in master.json, such as the Python master, too), and this
   * one stops at once rather than quarantine that master's settings and results.
   */
  private boolean proposed(String id) throws IOException {
    if (rules.ledger().setting(id) != null) {
      return true;
    }
    if (batchesListedThisLook) {
      return false; // listed once this look, and nothing new was there
    }
    batchesListedThisLook = true;
    for (String name : StudyDirectory.list(study.batches())) {
      if (!known.contains(name) && name.matches("b\\d{6}\\.json")) {
        throw new MasterQueue.Replaced("another master wrote " + study.batches().resolve(name) + ": it took this"
            + " study over; this one stops proposing and exits");
      }
    }
    return false;
  }

  private void forgetProgress(String id) throws IOException {
    Files.deleteIfExists(study.progress().resolve(id + ".json"));
    Files.deleteIfExists(study.stop().resolve(id + ".json"));
  }
}
