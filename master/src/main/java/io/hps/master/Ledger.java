package io.hps.master;

import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was proposed (every setting of every batch) and which results were accepted: the master's
 * knowledge, rebuilt from the queue's batches and results by a restarted master, and the queue's own
 * record for checking results against their settings. Every question a master asks at each look or
 * proposal costs what is in flight or what is new, not what the study holds: the views below are kept up to
 * date as settings and results come in (a 100,000-setting study proposes as fast as a 100-setting one).
 */
final class Ledger {
  private final Map<String, Setting> settings = new LinkedHashMap<>();
  private final Map<String, Result> accepted = new LinkedHashMap<>();
  /** The accepted results in the order accepted (appended only). */
  private final List<Result> acceptedInOrder = new ArrayList<>();
  /** The accepted results in the order of their settings (point, then repeat): see {@link #seen}. */
  private final List<Result> byPoint = new ArrayList<>();
  private final java.util.Set<String> awaited = new java.util.LinkedHashSet<>();
  /** Of the settings without an accepted result: how many each point has. */
  private final Map<Integer, Integer> awaitedPoints = new java.util.HashMap<>();
  /** The ids of the accepted results as runs of setting numbers (see {@link #seenRanges}). */
  private final java.util.TreeMap<Integer, Integer> seenRuns = new java.util.TreeMap<>();
  /** Whether an accepted id is not of the master's form (s and a number): then ranges are encoded in full. */
  private boolean irregularIds;
  /** The accepted results of a later attempt than the first: id to attempt. */
  private final Map<String, Integer> retried = new java.util.TreeMap<>();
  private int batches;
  private int points;

  void add(Batch batch) {
    for (Setting s : batch.settings()) {
      settings.put(s.id(), s); // a setting keeps its point in every batch that names it
      if (!accepted.containsKey(s.id()) && awaited.add(s.id())) {
        awaitedPoints.merge(s.point(), 1, Integer::sum);
      }
      points = Math.max(points, s.point() + 1);
    }
    batches = Math.max(batches, batch.batch() + 1);
  }

  void accept(Result result) {
    Result before = accepted.put(result.id(), result);
    if (before != null) {
      // accepted again (not what a master does): the new result stands in the old one's place
      acceptedInOrder.set(acceptedInOrder.indexOf(before), result);
      byPoint.set(byPoint.indexOf(before), result);
      replaced++;
    } else {
      acceptedInOrder.add(result);
      insertByPoint(result);
      addRun(result.id());
    }
    if (result.attempt() > 1) {
      retried.put(result.id(), result.attempt());
    } else {
      retried.remove(result.id());
    }
    if (awaited.remove(result.id())) {
      Setting s = settings.get(result.id());
      if (s != null) {
        awaitedPoints.computeIfPresent(s.point(), (p, n) -> n > 1 ? n - 1 : null);
      }
    }
  }

  /** Results mostly arrive in the order of their points: the place is found from the end. */
  private void insertByPoint(Result result) {
    int i = byPoint.size();
    while (i > 0 && BY_POINT_RESULT.compare(byPoint.get(i - 1), result) > 0) {
      i--;
      if (byPoint.size() - i > 64) {
        // far from the end: a binary search instead of a walk
        int at = Collections.binarySearch(byPoint, result, BY_POINT_RESULT);
        i = at >= 0 ? at + 1 : -at - 1;
        break;
      }
    }
    byPoint.add(i, result);
    // The runs stand for the ids in this order only while ids ascend with points (as the master numbers them).
    int n = io.hps.protocol.IdRanges.number(result.id());
    if (i > 0 && io.hps.protocol.IdRanges.number(byPoint.get(i - 1).id()) >= n
        || i + 1 < byPoint.size() && io.hps.protocol.IdRanges.number(byPoint.get(i + 1).id()) <= n) {
      irregularIds = true;
    }
  }

  private void addRun(String id) {
    int n = io.hps.protocol.IdRanges.number(id);
    if (n < 0) {
      irregularIds = true;
      return;
    }
    Map.Entry<Integer, Integer> below = seenRuns.floorEntry(n);
    if (below != null && below.getValue() >= n) {
      return; // already in a run
    }
    int start = below != null && below.getValue() == n - 1 ? below.getKey() : n;
    int end = n;
    Integer next = seenRuns.get(n + 1);
    if (next != null) {
      seenRuns.remove(n + 1);
      end = next;
    }
    seenRuns.put(start, end);
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

  /** The accepted results in the order accepted (a copy). */
  List<Result> results() {
    return new ArrayList<>(acceptedInOrder);
  }

  /**
   * The accepted results from the {@code from}-th accepted on, in the order accepted: what is new since a caller
   * last looked (a view, valid until the next result is accepted).
   */
  List<Result> acceptedSince(int from) {
    return Collections.unmodifiableList(acceptedInOrder.subList(Math.min(from, acceptedInOrder.size()),
        acceptedInOrder.size()));
  }

  int acceptedCount() {
    return accepted.size();
  }

  /**
   * The accepted results in the order of their settings (point, then repeat): what a strategy is given, so
   * that its proposals do not depend on the order results happened to arrive in, and can be computed again
   * from their provenance (which records which results, not their order). A view, valid until the next
   * result is accepted: strategies read it while they propose, and keep nothing of it.
   */
  List<Result> seen() {
    return seen;
  }

  /** {@link #seen}, read-only, telling a strategy which results are new since it last looked. */
  private final class Seen extends java.util.AbstractList<Result> implements io.hps.strategy.GrowingResults,
      java.util.RandomAccess {
    @Override
    public Result get(int index) {
      return byPoint.get(index);
    }

    @Override
    public int size() {
      return byPoint.size();
    }

    @Override
    public Object ledger() {
      return Ledger.this;
    }

    @Override
    public int accepted() {
      return acceptedInOrder.size();
    }

    @Override
    public int replaced() {
      return replaced;
    }

    @Override
    public List<Result> acceptedAfter(int n) {
      return Collections.unmodifiableList(acceptedInOrder.subList(n, acceptedInOrder.size()));
    }
  }

  private final Seen seen = new Seen();
  /** Results accepted again in the place of an earlier one of the same id. */
  private int replaced;

  /** The ids of {@link #seen}, in its order, as {@link io.hps.protocol.IdRanges#encode} writes them. */
  String seenRanges() {
    if (irregularIds) {
      return io.hps.protocol.IdRanges.encode(byPoint.stream().map(Result::id).toList());
    }
    return io.hps.protocol.IdRanges.ofRuns(seenRuns);
  }

  /** The accepted results of a later attempt than the first: id to attempt, by id. */
  Map<String, Integer> retried() {
    return Collections.unmodifiableMap(retried);
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
    return awaited.isEmpty();
  }

  /** Ids of the settings without an accepted result. */
  List<String> awaited() {
    return List.copyOf(awaited);
  }

  /** The settings without an accepted result, in the order proposed. */
  List<Setting> inFlight() {
    List<Setting> out = new ArrayList<>(awaited.size());
    for (String id : awaited) {
      out.add(settings.get(id));
    }
    return out;
  }

  /** Points that still have a setting without a result. */
  long pointsInFlight() {
    return awaitedPoints.size();
  }
}
