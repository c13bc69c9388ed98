package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was proposed (every setting of every batch) and which results were accepted: the master's
 * knowledge, rebuilt from the queue's batches and results by a restarted master, and the queue's own
 * record for checking results against their settings.
 */
final class Ledger {
  private final Map<String, Setting> settings = new LinkedHashMap<>();
  private final Map<String, Result> accepted = new LinkedHashMap<>();
  private final java.util.Set<String> awaited = new java.util.LinkedHashSet<>();
  private int batches;
  private int points;
  private int lastBatch = -1;

  void add(Batch batch) {
    for (Setting s : batch.settings()) {
      settings.put(s.id(), s);
      if (!accepted.containsKey(s.id())) {
        awaited.add(s.id());
      }
      points = Math.max(points, s.point() + 1);
    }
    batches = Math.max(batches, batch.batch() + 1);
    lastBatch = Math.max(lastBatch, batch.batch());
  }

  void accept(Result result) {
    accepted.put(result.id(), result);
    awaited.remove(result.id());
  }

  Setting setting(String id) {
    return settings.get(id);
  }

  /** The accepted result of setting {@code id}, or null. */
  Result result(String id) {
    return accepted.get(id);
  }

  boolean isAccepted(String id) {
    return accepted.containsKey(id);
  }

  Collection<Setting> settings() {
    return settings.values();
  }

  List<Result> results() {
    return new ArrayList<>(accepted.values());
  }

  int acceptedCount() {
    return accepted.size();
  }

  /**
   * The accepted results in the order of their settings (point, then repeat): what a strategy is given, so
   * that its proposals do not depend on the order results happened to arrive in, and can be computed again
   * from their provenance (which records which results, not their order).
   */
  List<Result> seen() {
    return accepted.values().stream().sorted(BY_POINT_RESULT).toList();
  }

  /** The settings without an accepted result, in the order of their points: what a strategy is given. */
  List<Setting> inFlightByPoint() {
    return inFlight().stream().sorted(BY_POINT).toList();
  }

  static final java.util.Comparator<Result> BY_POINT_RESULT = java.util.Comparator.comparingInt(Result::point)
      .thenComparingInt(Result::repeat);
  static final java.util.Comparator<Setting> BY_POINT = java.util.Comparator.comparingInt(Setting::point)
      .thenComparingInt(Setting::repeat);

  /** Number of strategy points proposed so far. */
  int points() {
    return points;
  }

  /** Number of the next batch. */
  int nextBatch() {
    return batches;
  }

  boolean allAccepted() {
    return accepted.size() == settings.size();
  }

  /** Ids of the settings without an accepted result. */
  List<String> awaited() {
    return List.copyOf(awaited);
  }

  /** The settings without an accepted result, in the order proposed. */
  List<Setting> inFlight() {
    return settings.values().stream().filter(s -> !accepted.containsKey(s.id())).toList();
  }

  /** Points that still have a setting without a result. */
  long pointsInFlight() {
    return settings.values().stream().filter(s -> !accepted.containsKey(s.id())).map(Setting::point).distinct()
        .count();
  }
}
