package io.hps.study;

import io.hps.protocol.Epoch;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StopRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The worker's side of the study directory (PROTOCOL.md): claim a pending setting by renaming it into
 * {@code claimed/<worker>/}, keep the claim alive by touching it, report epochs in {@code progress/},
 * then either publish the result (fence, then link) or hand the setting back.
 */
public final class FileWorkerQueue implements WorkerQueue {
  private final StudyDirectory study;
  private final String worker;
  private final Clock clock;
  private final Path own;
  /** pending/ as last listed, from {@code head} on not tried yet. */
  private final java.util.List<String> listing = new java.util.ArrayList<>();
  private int head;
  /** How many of the oldest listed names a claim picks from (see claimNext). */
  private int window = 1;
  private final java.util.Random random;

  public FileWorkerQueue(StudyDirectory study, String worker, Clock clock) throws IOException {
    this.study = study;
    this.worker = worker;
    this.clock = clock;
    this.own = study.claimed(worker);
    this.random = new java.util.Random(worker.hashCode() ^ System.nanoTime());
    Files.createDirectories(own);
  }

  /**
   * Claims the next pending setting, oldest id first as far as other workers allow; empty when none is left.
   * Bad files met on the way are quarantined, settings that already have a result are dropped.
   *
   * <p>Many workers list the same names and would all try the oldest: after {@link #STRICT} renames in a row that
   * found their name gone (other workers were first), each such failure doubles the window of oldest names this
   * worker picks from at random, and each claim halves it, so a thousand workers spread over the oldest
   * thousand names instead of failing through them one by one, while two workers still claim strictly oldest
   * first; after {@link #STALE} failures in a row the listing is taken again (what is left).
   */
  @Override
  public Optional<Claim> claimNext() throws IOException {
    for (int relisted = 0; relisted < MOST_LISTINGS; relisted++) {
      if (head >= listing.size()) {
        listing.clear();
        head = 0;
        listing.addAll(StudyDirectory.list(study.pending()));
        if (listing.isEmpty()) {
          return Optional.empty();
        }
      }
      int failures = 0;
      while (head < listing.size()) {
        // the pick goes to the head and is taken from there: the others keep their order but for the swap
        boolean strict = failures < STRICT || window <= 1;
        int pick = head + (strict ? 0 : random.nextInt(Math.min(window, listing.size() - head)));
        String name = listing.get(pick);
        listing.set(pick, listing.get(head));
        head++;
        Optional<Claim> claim = tryClaim(name);
        if (claim.isPresent()) {
          window = Math.max(1, window / 2);
          return claim;
        }
        if (++failures >= STRICT) {
          window = Math.min(MOST_WINDOW, window * 2);
        }
        if (failures >= STALE) {
          head = listing.size(); // others took these: list what is left
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Failed renames in a row tried strictly oldest first: two workers keep a strict order (each loses at most one
   * race to the other in a row); past these, the window counts.
   */
  static final int STRICT = 2;
  /** Failed renames in a row after which the listing is stale: listed again. */
  static final int STALE = 16;
  /** The widest window of oldest names picked from. */
  private static final int MOST_WINDOW = 4096;
  /** Listings per call: a pending/ that other workers empty as fast as it is listed ends the call empty. */
  private static final int MOST_LISTINGS = 8;

  private Optional<Claim> tryClaim(String name) throws IOException {
    Path source = study.pending().resolve(name);
    Optional<String> id = StudyDirectory.idOf(name);
    if (id.isEmpty()) {
      Quarantine.quarantine(study, source, "the name is not <id>.json with a safe id", worker);
      return Optional.empty();
    }
    // A link or a directory in pending/ is claimed like a file, then refused by readSetting (which reads no link
    // and nothing but a regular file) and quarantined: no lookup before the rename (a round trip on a shared disk).
    Path target = own.resolve(name);
    if (!DurableFiles.move(source, target)) {
      return Optional.empty();
    }
    Setting setting;
    try {
      setting = StudyDirectory.readSetting(target);
      if (!setting.id().equals(id.get())) {
        throw new BadFileException("holds setting id '" + setting.id() + "' under the name " + name);
      }
    } catch (BadFileException e) {
      Quarantine.quarantine(study, target, "setting file " + e.getMessage(), worker);
      return Optional.empty();
    } catch (NoSuchFileException takenBack) {
      return Optional.empty(); // this worker stalled after the rename and the master took the setting back
    } catch (IOException flaky) {
      // Claimed but unreadable for now (a flaky disk): give it back rather than leave it for a lease to expire.
      try {
        DurableFiles.move(target, source);
      } catch (IOException alsoFailed) {
        flaky.addSuppressed(alsoFailed); // then the master requeues it when the lease expires
      }
      throw flaky;
    }
    if (Files.exists(study.result(setting.id()))) {
      Files.deleteIfExists(target);
      return Optional.empty();
    }
    // No touch here: the master times a lease from when it first sees the claim, on its own clock.
    return Optional.of(new Claim(worker, setting, target, clock.instant()));
  }

  /** Touches the claim file so the lease stays alive; false when the claim was taken away. */
  @Override
  public boolean heartbeat(Claim claim) throws IOException {
    try {
      Files.setLastModifiedTime(claim.file(), FileTime.from(clock.instant()));
      return true;
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /**
   * Publishes the claim's result. First the fence: the claim file is renamed to
   * {@code <id>.publishing}; if that fails the master has taken the setting back and the result is
   * discarded. Then the result is linked into {@code results/}, which refuses to replace an existing one.
   */
  @Override
  public Publication publish(Claim claim, Result result) throws IOException {
    Path fenced = fenced(claim);
    // A publication that an I/O error cut short after the fence resumes from the fenced file (looked for only
    // when the rename finds no claim: in the usual case the fence costs one rename, no lookup).
    if (!DurableFiles.move(claim.file(), fenced) && !Files.exists(fenced, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Publication.FENCED;
    }
    boolean published = DurableFiles.publishOnce(study.result(result.id()), result) || ours(result);
    Files.deleteIfExists(fenced); // only once the result is in: an error above leaves the fence for a retry
    return published ? Publication.PUBLISHED : Publication.DUPLICATE;
  }

  /** Whether the accepted result is this one, linked by an earlier try that an I/O error cut short. */
  private boolean ours(Result result) throws IOException {
    try {
      Result there = StudyDirectory.readResult(study.result(result.id()));
      return there.worker().equals(result.worker()) && there.attempt() == result.attempt()
          && java.util.Objects.equals(there.finished(), result.finished());
    } catch (BadFileException | NoSuchFileException other) {
      return false;
    }
  }

  /**
   * Keeps the lease of a fenced claim whose publication is being retried: the master expires a
   * {@code .publishing} file like any claim. Nothing when it is not fenced (yet, or any more).
   */
  @Override
  public void touchFence(Claim claim) throws IOException {
    try {
      Files.setLastModifiedTime(fenced(claim), FileTime.from(clock.instant()));
    } catch (NoSuchFileException notFenced) {
      // not fenced yet, or taken back: publish() will tell
    }
  }

  private static Path fenced(Claim claim) {
    return claim.file().resolveSibling(claim.setting().id() + StudyDirectory.PUBLISHING);
  }

  @Override
  public Optional<StopRequest> report(Claim claim, List<Epoch> epochs) throws IOException {
    progress(claim, epochs);
    String id = claim.setting().id();
    Path stop = study.stop().resolve(id + ".json");
    if (!Files.exists(stop, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    StopRequest request;
    try {
      request = StudyDirectory.readStopRequest(stop);
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (BadFileException bad) {
      // Being replaced by the master, or not a stop request: looked at again after the next epoch.
      return Optional.empty();
    }
    // A request left over from another run of this setting is not for this one.
    return request.appliesTo(worker, claim.setting().attempt()) ? Optional.of(request) : Optional.empty();
  }

  @Override
  public void progress(Claim claim, List<Epoch> epochs) throws IOException {
    String id = claim.setting().id();
    DurableFiles.replace(study.progress().resolve(id + ".json"), new Progress(1, id, worker,
        claim.setting().epochs(), epochs, claim.setting().attempt()), false);
  }

  /** Gives an unfinished setting back to {@code pending/} (on shutdown); false if it was taken away. */
  @Override
  public boolean handBack(Claim claim) throws IOException {
    String id = claim.setting().id();
    Files.deleteIfExists(study.progress().resolve(id + ".json"));
    Files.deleteIfExists(study.stop().resolve(id + ".json"));
    boolean moved = DurableFiles.move(claim.file(), study.pending().resolve(claim.file().getFileName()));
    if (moved) {
      DurableFiles.syncDirectory(study.pending());
    }
    return moved;
  }
}
