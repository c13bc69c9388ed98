package io.hps.strategy;

import io.hps.protocol.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A list of results in the order of their points (then repeat, then id) that only grows, as a master's ledger
 * hands them to a strategy ({@link GrowingResults}): for benchmarks and tests that drive a strategy as a study
 * would, without a master.
 */
public final class GrowingList extends java.util.AbstractList<Result> implements GrowingResults,
    java.util.RandomAccess {
  private static final Comparator<Result> ORDER = Comparator.comparingInt(Result::point)
      .thenComparingInt(Result::repeat).thenComparing(Result::id);
  private final Comparator<Result> order;
  private final List<Result> byPoint = new ArrayList<>();
  private final List<Result> accepted = new ArrayList<>();
  private int replaced;

  public GrowingList() {
    this(ORDER);
  }

  /** Kept in {@code order} instead (tests: a list a strategy must find out of point order). */
  GrowingList(Comparator<Result> order) {
    this.order = order;
  }

  /** Accepts {@code r}: in its place by point, or in the place of an earlier result of the same id. */
  public void accept(Result r) {
    Integer earlier = place.get(r.id());
    if (earlier != null) { // accepted again (rare): the new result stands in the old one's places
      byPoint.set(byPoint.indexOf(accepted.get(earlier)), r);
      accepted.set(earlier, r);
      replaced++;
      return;
    }
    int at = Collections.binarySearch(byPoint, r, order);
    byPoint.add(at >= 0 ? at + 1 : -at - 1, r);
    place.put(r.id(), accepted.size());
    accepted.add(r);
  }

  /** Each id's place in {@link #accepted}. */
  private final java.util.Map<String, Integer> place = new java.util.HashMap<>();

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
    return this;
  }

  @Override
  public int accepted() {
    return accepted.size();
  }

  @Override
  public int replaced() {
    return replaced;
  }

  @Override
  public List<Result> acceptedAfter(int n) {
    return Collections.unmodifiableList(accepted.subList(n, accepted.size()));
  }
}
