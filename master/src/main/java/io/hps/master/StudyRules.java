package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The master's rules of a study, written once: what was proposed and accepted (the {@link Ledger}), which
 * result is accepted and which quarantined, when a lease has expired (on the master's monotonic clock),
 * what a setting whose attempt was lost becomes (its next attempt, or a failed result past the retry
 * budget), when a proposed setting found nowhere is lost, and which settings still wait to be written to
 * the queue. The queues ({@link FileMasterQueue}, {@link InMemoryQueue}) only store: they ask these rules
 * and do what they decide, so the simulator runs the same rules as a study directory.
 */
final class StudyRules {
  /** What becomes of a setting whose attempt ended without a result. */
  sealed interface Retry permits Next, Failed {}

  /** Its next attempt, to be made claimable. */
  record Next(Setting setting) implements Retry {}

  /** The failed result that ends it, past the retry budget. */
  record Failed(Result result) implements Retry {}

  private Ledger ledger = new Ledger();
  private final Leases leases;
  private final RetryBudget budget;
  /** Scans in a row that found no file (no entry) for a proposed setting. */
  private final Map<String, Integer> missing = new HashMap<>();
  /** The latest attempt of each setting that was retried. */
  private final Map<String, Setting> latest = new HashMap<>();
  /** Why the last result of a setting was quarantined, for the reason of its next attempt. */
  private final Map<String, String> quarantined = new HashMap<>();
  /** Settings that must be made claimable but could not be (a full disk): the same attempt, later. */
  private final Map<String, Setting> unwritten = new LinkedHashMap<>();

  StudyRules(Duration lease, int retries) {
    this.leases = new Leases(lease);
    this.budget = new RetryBudget(retries);
  }

  Ledger ledger() {
    return ledger;
  }

  void proposed(Batch batch) {
    ledger.add(batch);
  }

  /** Starts again from the batches a queue holds (a master starting or restarting on a study). */
  void reload(List<Batch> batches) {
    ledger = new Ledger();
    batches.forEach(ledger::add);
  }

  /**
   * Why {@code result}, found under {@code id}, must not be accepted; empty when it is the one result of a
   * setting this study proposed, with its parameters.
   */
  Optional<String> refusal(String id, Result result) {
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

  void accept(Result result) {
    ledger.accept(result);
    missing.remove(result.id());
    unwritten.remove(result.id());
  }

  /** A result of {@code id} was quarantined: its next attempt says why. */
  void quarantined(String id, String why) {
    quarantined.put(id, why);
  }

  /**
   * Whether the claim {@code key}, whose change stamp (a file's modification time, a heartbeat's time) is
   * {@code stamp} now, has gone a whole lease without a change, at monotonic nanoseconds {@code tick}.
   */
  boolean expired(Object key, Object stamp, long tick) {
    return leases.expired(key, stamp, tick);
  }

  /** Why the claim {@code key} of {@code worker} goes back: the reason its next attempt records. */
  String leaseExpired(Object key, String worker, boolean publishing, long tick) {
    return String.format(java.util.Locale.ROOT, "lease expired: worker %s sent no heartbeat for %.0f s%s", worker,
        leases.silentSeconds(key, tick), publishing ? " while publishing" : "");
  }

  /** Forgets the leases of claims no longer there. */
  void claimsPresent(Set<?> keys) {
    leases.retain(keys);
  }

  /** The next attempt of {@code setting} (its latest one), or its failed result past the budget. */
  Retry retry(Setting setting, String worker, String reason, Instant now) {
    Setting last = latest(setting);
    Optional<Setting> next = budget.next(last, worker, reason, now);
    if (next.isPresent()) {
      latest.put(setting.id(), next.get());
      return new Next(next.get());
    }
    return new Failed(budget.failed(last, worker, reason, now));
  }

  private Setting latest(Setting setting) {
    Setting last = latest.get(setting.id());
    return last != null && last.attempt() > setting.attempt() ? last : setting;
  }

  /**
   * The proposed settings found nowhere ({@code held} false) in two looks in a row, each with the reason of
   * its retry: its result was quarantined, or its file was removed (or never written). Two looks, because a
   * setting handed back from a claim to the queue can slip between the listings of one look. Settings
   * accepted, or waiting to be written, are never lost.
   */
  Map<Setting, String> lost(Predicate<String> held) {
    Map<Setting, String> lost = new LinkedHashMap<>();
    for (Setting setting : ledger.settings()) {
      String id = setting.id();
      if (ledger.isAccepted(id) || held.test(id) || unwritten.containsKey(id)) {
        missing.remove(id);
      } else if (missing.merge(id, 1, Integer::sum) >= 2) {
        missing.remove(id);
        String why = quarantined.remove(id);
        lost.put(setting, why != null ? "its result was quarantined: result file " + why
            : "no file for the setting was found anywhere (removed, or never written to pending/)");
      }
    }
    return lost;
  }

  /** {@code setting} could not be made claimable (a full disk); true the first time (to say so once). */
  boolean unwritten(Setting setting) {
    return unwritten.put(setting.id(), setting) == null;
  }

  /** {@code id} was made claimable; true when it had been waiting for that. */
  boolean written(String id) {
    return unwritten.remove(id) != null;
  }

  /** The settings waiting to be made claimable, except those settled meanwhile ({@code settled}). */
  List<Setting> toWrite(Predicate<String> settled) {
    unwritten.keySet().removeIf(id -> ledger.isAccepted(id) || settled.test(id));
    return new ArrayList<>(unwritten.values());
  }
}
