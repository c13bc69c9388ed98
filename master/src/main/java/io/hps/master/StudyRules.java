package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;

/**
 * The master's rules of a study, written once: what was proposed and accepted (the {@link Ledger}), which
 * result is accepted and which quarantined, when a lease has expired (on the master's monotonic clock),
 * what a setting whose attempt was lost becomes (its next attempt, or a failed result past the retry
 * budget), when a proposed setting found nowhere is lost, and which settings still wait to be written to
 * the queue; and the steps of a look that act on them ({@link #accept}, {@link #expire}, {@link #recoverLost},
 * {@link #writeUnwritten}). The queues ({@link FileMasterQueue}, {@link InMemoryQueue}) only store, through
 * {@link Storage}'s primitives, so the simulator runs the same rules, in the same order, as a study directory.
 */
final class StudyRules {
  /**
   * What a queue's storage does when the rules ask: files in a study directory, or maps in memory. A file
   * queue checks, before any of these changes something, that its master still owns the study.
   */
  interface Storage {
    /**
     * The result stored under {@code id}; empty when it is gone meanwhile; a {@link io.hps.study.BadFileException}
     * when what is stored there is not a result.
     */
    Optional<Result> result(String id) throws IOException;

    /** Whether a batch holds {@code id}; a file queue also finds another master's batches here (and stops). */
    boolean proposed(String id) throws IOException;

    /** Puts the result stored under {@code id} aside, with why: no worker or master reads it again. */
    void quarantineResult(String id, String why) throws IOException;

    /** Forgets the progress and stop request of {@code id}: its run is over. */
    void forgetProgress(String id) throws IOException;

    /** Removes a claim of a setting that is accepted or was never proposed: nothing to retry. */
    void dropClaim(HeldClaim claim) throws IOException;

    /**
     * Takes {@code claim} out of its worker's hands; the setting it held, or empty when it was gone meanwhile
     * (published, handed back) or is no setting (put aside). {@link #settled} follows once its retry is done.
     */
    Optional<Setting> takeBack(HeldClaim claim) throws IOException;

    /** The retry of a claim taken back is recorded (its next attempt claimable, or its failed result). */
    void settled(HeldClaim claim) throws IOException;

    /**
     * Makes {@code setting} claimable; {@code retried} when it is an attempt no batch records, whose file
     * must survive a crash. An I/O error (a full disk) leaves it to a later look.
     */
    void makeClaimable(Setting setting, boolean retried) throws IOException;

    /** Stores the master's failed result of a setting past its retry budget, unless one is stored. */
    void publishFailed(Result failed) throws IOException;

    /** Whether a file, claim or result of {@code id} is anywhere in the queue (as the last listing saw). */
    boolean holds(String id);
  }

  /**
   * A claim as the queue sees it now.
   *
   * @param key what identifies this claim in the queue (a claim file, a setting id)
   * @param stamp its change stamp, which a heartbeat changes (a file's modification time, a beat's time)
   * @param ended how the worker's process ended, as {@code hps run} saw it (null while it lives): its
   *     unchanged claims go back at once, without waiting for the lease
   */
  record HeldClaim(Object key, String id, String worker, Object stamp, boolean publishing, String ended) {}

  private Ledger ledger = new Ledger();
  private final Leases leases;
  private final RetryBudget budget;
  private final PrintWriter log;
  /** Scans in a row that found no file (no entry) for a proposed setting. */
  private final Map<String, Integer> missing = new HashMap<>();
  /** The latest attempt of each setting that was retried. */
  private final Map<String, Setting> latest = new HashMap<>();
  /** Why the last result of a setting was quarantined, for the reason of its next attempt. */
  private final Map<String, String> quarantined = new HashMap<>();
  /** Settings that must be made claimable but could not be (a full disk): the same attempt, later. */
  private final Map<String, Setting> unwritten = new LinkedHashMap<>();

  StudyRules(Duration lease, int retries, PrintWriter log) {
    this.leases = new Leases(lease);
    this.budget = new RetryBudget(retries);
    this.log = log;
  }

  Ledger ledger() {
    return ledger;
  }

  /** Starts again from the batches a queue holds (a master starting or restarting on a study). */
  void reload(List<Batch> batches) {
    ledger = new Ledger();
    batches.forEach(ledger::add);
  }

  /**
   * Records {@code batch} (the queue stored it) and makes its settings claimable; one that cannot be is
   * made claimable by a later look, so the batch stays proposed.
   */
  void proposed(Batch batch, Storage storage) throws IOException {
    ledger.add(batch);
    for (Setting setting : batch.settings()) {
      makeClaimable(setting, false, storage);
    }
  }

  /**
   * Accepts the stored results of {@code ids} that are not yet accepted, adding each to {@code accepted} as
   * it is (so a look cut short by an I/O error loses none): each setting's one result, checked against what
   * was proposed. A result that fails the check is quarantined; its setting is then lost, and retried with
   * the reason.
   */
  void accept(Collection<String> ids, Storage storage, List<Result> accepted) throws IOException {
    for (String id : ids) {
      if (ledger.isAccepted(id)) {
        continue;
      }
      Optional<String> refusal;
      Result result = null;
      try {
        Optional<Result> stored = storage.result(id);
        if (stored.isEmpty()) {
          continue; // quarantined by someone else between the listing and the read: recovered as lost
        }
        result = stored.get();
        if (ledger.setting(id) == null) {
          storage.proposed(id); // another master's setting: a file queue finds its batch and stops here
        }
        refusal = refusal(id, result);
      } catch (io.hps.study.BadFileException e) {
        refusal = Optional.of(e.getMessage());
      }
      if (refusal.isPresent()) {
        quarantined.put(id, refusal.get());
        storage.quarantineResult(id, "result file " + refusal.get());
        continue;
      }
      ledger.accept(result);
      missing.remove(id);
      unwritten.remove(id);
      accepted.add(result);
      storage.forgetProgress(id);
    }
  }

  /**
   * Why {@code result}, found under {@code id}, must not be accepted; empty when it is the one result of a
   * setting this study proposed, with its parameters.
   */
  private Optional<String> refusal(String id, Result result) {
    if (!result.id().equals(id)) {
      return Optional.of("holds result id '" + result.id() + "' under the name " + id + ".json");
    }
    Setting setting = ledger.setting(id);
    if (setting == null) {
      return Optional.of("is for a setting this study never proposed");
    }
    return setting.params().difference(result.params())
        .map(d -> "has parameters that differ from setting " + id + "'s: " + d);
  }

  /**
   * Takes back each claim that went a whole lease without a change (at monotonic nanoseconds {@code tick},
   * so no step of the wall clock expires one), or whose worker ended, and retries its setting; drops claims
   * of settings accepted or never proposed. {@code claims} are all the claims there are now: the leases of
   * the others are forgotten.
   */
  void expire(List<HeldClaim> claims, Instant now, long tick, Storage storage) throws IOException {
    Set<Object> present = new HashSet<>();
    for (HeldClaim claim : claims) {
      present.add(claim.key());
      boolean orphan = claim.ended() != null;
      if (!leases.expired(claim.key(), claim.stamp(), tick) && !orphan) {
        continue;
      }
      if (ledger.isAccepted(claim.id()) || !storage.proposed(claim.id())) {
        storage.dropClaim(claim);
        continue;
      }
      String publishing = claim.publishing() ? " while publishing" : "";
      String reason = orphan ? "worker " + claim.worker() + " ended (" + claim.ended() + ") holding it" + publishing
          : String.format(Locale.ROOT, "lease expired: worker %s sent no heartbeat for %.0f s%s",
              claim.worker(), leases.silentSeconds(claim.key(), tick), publishing);
      Optional<Setting> setting = storage.takeBack(claim);
      if (setting.isPresent()) {
        log.printf("master: %s: %s%n", claim.id(), reason);
        storage.forgetProgress(claim.id());
        retry(setting.get(), claim.worker(), reason, now, storage);
        storage.settled(claim);
      }
    }
    leases.retain(present);
  }

  /**
   * Makes the next attempt of {@code setting} (its latest one) claimable, or stores its failed result past
   * the retry budget.
   */
  void retry(Setting setting, String worker, String reason, Instant now, Storage storage) throws IOException {
    Setting last = latest.get(setting.id());
    if (last == null || last.attempt() <= setting.attempt()) {
      last = setting;
    }
    Optional<Setting> next = budget.next(last, worker, reason, now);
    if (next.isPresent()) {
      latest.put(setting.id(), next.get());
      if (makeClaimable(next.get(), true, storage)) {
        log.printf("master: %s back in pending/ as attempt %d%n", setting.id(), next.get().attempt());
      }
    } else {
      Result failed = budget.failed(last, worker, reason, now);
      storage.publishFailed(failed);
      log.printf("master: %s failed after %d attempts%n", setting.id(), failed.attempt() - 1);
    }
  }

  /**
   * Retries each proposed setting found nowhere in two looks in a row, with the reason: its result was
   * quarantined, or its file was removed (or never written). Two looks, because a setting handed back from a
   * claim to the queue can slip between the listings of one look. Settings accepted, or waiting to be made
   * claimable, are never lost.
   */
  void recoverLost(Instant now, Storage storage) throws IOException {
    Map<Setting, String> lost = new LinkedHashMap<>();
    for (Setting setting : ledger.inFlight()) { // an accepted setting is never lost
      String id = setting.id();
      if (storage.holds(id) || unwritten.containsKey(id)) {
        missing.remove(id);
      } else if (missing.merge(id, 1, Integer::sum) >= 2) {
        missing.remove(id);
        String why = quarantined.remove(id);
        lost.put(setting, why != null ? "its result was quarantined: result file " + why
            : "no file for the setting was found anywhere (removed, or never written to pending/)");
      }
    }
    for (Map.Entry<Setting, String> entry : lost.entrySet()) {
      log.printf("master: %s has no file anywhere; writing it to pending again%n", entry.getKey().id());
      retry(entry.getKey(), null, entry.getValue(), now, storage);
    }
  }

  /** Makes claimable the settings earlier attempts could not make so, unless they are settled meanwhile. */
  void writeUnwritten(Storage storage) throws IOException {
    unwritten.keySet().removeIf(id -> ledger.isAccepted(id) || storage.holds(id));
    for (Setting setting : List.copyOf(unwritten.values())) {
      makeClaimable(setting, true, storage);
    }
  }

  /**
   * Makes {@code setting} claimable, or keeps it for later looks when that fails (a full disk): the same
   * attempt then, never a new one, and never a reason to fail the setting.
   */
  private boolean makeClaimable(Setting setting, boolean retried, Storage storage) throws IOException {
    try {
      storage.makeClaimable(setting, retried);
    } catch (io.hps.study.Patience.Fatal e) {
      throw e; // this master no longer owns the study
    } catch (IOException e) {
      if (unwritten.put(setting.id(), setting) == null) {
        log.printf("master: %s not written to pending/ (%s); written when a look can (the same attempt)%n",
            setting.id(), e.getMessage());
      }
      return false;
    }
    if (unwritten.remove(setting.id()) != null) {
      log.printf("master: %s written to pending/ (attempt %d)%n", setting.id(), setting.attempt());
    }
    return true;
  }
}
