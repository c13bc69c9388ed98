package io.hps.strategy;

import io.hps.protocol.Result;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Successive halving and Hyperband over random configurations, epochs as the budget. A first-rung
 * point is a random configuration (drawn as random search draws point {@code c}) trained for the rung's
 * epochs; a later rung's point is the {@code k}-th best setting of the rung below (lowest final
 * validation error; diverged and failed ones last), trained again from scratch for more epochs, with
 * {@code "parent"} naming that setting and {@code "rung"} (and {@code "bracket"}) in its parameters so
 * the result files show the lineage. A rung is proposed only when the rung below has all its results.
 */
final class HalvingSearch implements SearchStrategy {
  private final Halving schedule;
  private final RandomSearch configurations;
  private final boolean hyperband;

  HalvingSearch(SearchSpace space, long seed, Halving schedule, boolean hyperband) {
    this.schedule = schedule;
    this.configurations = new RandomSearch(space, seed);
    this.hyperband = hyperband;
  }

  @Override
  public List<Params> propose(int proposed, List<Result> results, int count) {
    Map<Integer, Result> byPoint = new HashMap<>();
    results.forEach(r -> byPoint.putIfAbsent(r.point(), r));
    List<Params> points = new ArrayList<>();
    for (int p = proposed; p < Math.min(schedule.points(), proposed + count); p++) {
      Halving.Slot slot = schedule.slot(p);
      int epochs = schedule.brackets().get(slot.bracket()).epochs()[slot.rung()];
      Params params;
      if (slot.rung() == 0) {
        int configuration = schedule.configurationsBefore(slot.bracket()) + slot.index();
        params = configurations.propose(configuration, List.of(), 1).get(0);
      } else {
        List<Result> below = rung(slot.bracket(), slot.rung() - 1, byPoint);
        if (below == null) {
          break; // the rung below is still training
        }
        Result parent = below.get(slot.index());
        params = parent.params();
        params = params.with("parent", parent.id());
      }
      params = params.with("epochs", (long) epochs).with("rung", (long) slot.rung());
      if (hyperband) {
        params = params.with("bracket", (long) slot.bracket());
      }
      points.add(params);
    }
    return points;
  }

  /** A finished rung's results, best first; null while any is missing. */
  private List<Result> rung(int bracket, int rung, Map<Integer, Result> byPoint) {
    int first = schedule.firstPoint(bracket, rung);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < schedule.brackets().get(bracket).settings()[rung]; i++) {
      Result r = byPoint.get(first + i);
      if (r == null) {
        return null;
      }
      results.add(r);
    }
    results.sort(Comparator.comparingDouble((Result r) -> r.objective().orElse(Double.POSITIVE_INFINITY))
        .thenComparingInt(Result::point));
    return results;
  }

  @Override
  public long limit() {
    return schedule.points();
  }

  /** The schedule fixes the number of points; {@code trials} chose its first rung. */
  @Override
  public long total(int trials) {
    return schedule.points();
  }
}
