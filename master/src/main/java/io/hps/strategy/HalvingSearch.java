package io.hps.strategy;

import io.hps.goals.Goals;
import io.hps.protocol.Lineage;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
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
 * validation error, or the study's objectives as {@link Goals#best} orders them; diverged and failed ones
 * last), trained for more epochs: from scratch, or in a study
 * with checkpoints from the state its parent saved. Each
 * proposal carries its budget (the rung's epochs) and its lineage (rung, Hyperband bracket, the parent
 * setting), which the setting and result files keep in their own fields. A rung is proposed only when the
 * rung below has all its results.
 */
final class HalvingSearch implements SearchStrategy {
  private final Halving schedule;
  /** The schedule's points, counted once: a schedule of 100,000 first-rung settings has thousands of brackets. */
  private final int schedulePoints;
  private final RandomSearch configurations;
  private final boolean hyperband;
  /** BOHB: first-rung configurations from a TPE model; null: random ones. */
  private final TpeSearch model;
  /** What "best" means in a rung: the study's objectives and constraints. */
  private final Goals goals;

  HalvingSearch(SearchSpace space, long seed, Halving schedule, boolean hyperband) {
    this(space, seed, schedule, hyperband, false, Goals.single());
  }

  /**
   * With {@code modelBased}, BOHB (Falkner et al. 2018): Hyperband's brackets, with each first-rung
   * configuration proposed by TPE fitted on the results of the largest budget that has at least
   * dimensions + 2 of them (random until one has).
   */
  HalvingSearch(SearchSpace space, long seed, Halving schedule, boolean hyperband, boolean modelBased, Goals goals) {
    this.schedule = schedule;
    this.schedulePoints = schedule.points();
    this.configurations = new RandomSearch(space, seed);
    this.hyperband = hyperband;
    this.goals = goals;
    this.model = modelBased ? new TpeSearch(space, seed, space.dimensions() + 2, goals) : null;
  }

  /** The first-rung configuration number {@code c}, proposed as point {@code point}, and why. */
  private Proposal configuration(int c, int point, Seen seen, List<Setting> inFlight) {
    if (model == null) {
      return Proposal.of(configurations.point(c), "random configuration " + (c + 1) + " of the first rungs (drawn"
          + " from the seed alone)");
    }
    // The largest budget with enough results to fit the model on.
    for (List<Result> same : seen.byBudget.values()) {
      if (same.size() >= configurations.dimensions() + 2) {
        Proposal p = model.propose(point, same, inFlight, 1).get(0);
        return p.because("BOHB's model on the " + same.size() + " results of " + same.get(0).plannedEpochs()
            + " epochs (the largest budget with at least " + (configurations.dimensions() + 2) + "): " + p.why());
      }
    }
    return Proposal.of(configurations.point(c), "random configuration " + (c + 1) + " of the first rungs (BOHB's"
        + " model waits until a budget has " + (configurations.dimensions() + 2) + " results)");
  }

  /**
   * The results by point (the first of each point's repeats) and, for BOHB, by planned epochs (largest first).
   * From a master's ledger ({@link GrowingResults}) both are kept between proposals and take in only the results
   * accepted since, each budget's as a {@link GrowingList} that TPE keeps its split of (a pass over every result per
   * proposal made a study's cost grow with its square); from any other list they are worked out afresh.
   */
  private final class Seen {
    final Map<Integer, Result> byPoint = new HashMap<>();
    /** BOHB's results by planned epochs, largest first, each budget's kept as a ledger would hand it over. */
    final java.util.TreeMap<Integer, GrowingList> byBudget = new java.util.TreeMap<>(
        java.util.Comparator.reverseOrder());
    /** Rungs whose every setting has its result, in best-first order, by bracket and rung: they do not change. */
    final Map<Long, List<Result>> completeRungs = new HashMap<>();

    /** Takes in a result (in the order accepted, or in a plain list's order). */
    void accept(Result r) {
      // the first of a point's repeats, as the ledger's point order puts them (equal repeats: the earlier)
      Result old = byPoint.get(r.point());
      if (old == null) {
        byPoint.put(r.point(), r);
      } else if (r.repeat() < old.repeat()) {
        byPoint.put(r.point(), r);
        completeRungs.clear(); // a point's result changed (a lower repeat came later): its rung is sorted again
      }
      if (model != null) {
        byBudget.computeIfAbsent(r.plannedEpochs(), k -> new GrowingList()).accept(r);
      }
    }
  }

  /** What the last proposal kept from the ledger's results. */
  private final GrowingResults.Memo<Seen> memo = new GrowingResults.Memo<>(Seen::new, Seen::accept);

  private Seen seen(List<Result> results) {
    return memo.of(results);
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, int count) {
    return propose(proposed, results, List.of(), count);
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, List<Setting> inFlight, int count) {
    Seen seen = seen(results);
    Map<Integer, Result> byPoint = seen.byPoint;
    List<Proposal> points = new ArrayList<>();
    List<Setting> training = new ArrayList<>(inFlight); // and this call's own first-rung points, for BOHB
    for (int p = proposed; p < Math.min(schedulePoints, proposed + count); p++) {
      Halving.Slot slot = schedule.slot(p);
      int epochs = schedule.brackets().get(slot.bracket()).epochs()[slot.rung()];
      Params params;
      String parent = null;
      String where = (hyperband ? "bracket " + slot.bracket() + ", " : "") + "rung " + slot.rung() + " (" + epochs
          + (epochs == 1 ? " epoch): " : " epochs): ");
      String why;
      if (slot.rung() == 0) {
        int configuration = schedule.configurationsBefore(slot.bracket()) + slot.index();
        Proposal first = configuration(configuration, p, seen, training);
        params = first.params();
        why = where + first.why();
        training.add(new Setting(io.hps.protocol.Ids.setting(p), p, 0, 0, java.time.Instant.EPOCH, params));
      } else {
        long key = ((long) slot.bracket() << 32) | (slot.rung() - 1);
        List<Result> below = seen.completeRungs.get(key);
        if (below == null) {
          below = rung(slot.bracket(), slot.rung() - 1, byPoint);
          if (below != null) { // sorted once, not for each promotion out of it
            seen.completeRungs.put(key, below);
          }
        }
        if (below == null) {
          break; // the rung below is still training
        }
        Result best = below.get(slot.index());
        params = best.params();
        parent = best.id();
        int kept = schedule.brackets().get(slot.bracket()).settings()[slot.rung()];
        why = where + "promotes " + best.id() + ", ranked " + (slot.index() + 1) + " of the " + below.size()
            + " results of rung " + (slot.rung() - 1) + " (the best " + kept + (kept == 1 ? " goes" : " go") + " on)";
      }
      points.add(new Proposal(params, epochs, new Lineage(slot.rung(), hyperband ? slot.bracket() : null, parent),
          why));
    }
    return points;
  }

  /** A setting below its bracket's last rung may be promoted. */
  @Override
  public boolean mayContinue(Proposal proposal) {
    if (proposal.lineage() == null) {
      return false;
    }
    int bracket = proposal.lineage().bracket() == null ? 0 : proposal.lineage().bracket();
    return bracket < schedule.brackets().size()
        && proposal.lineage().rung() < schedule.brackets().get(bracket).rungs() - 1;
  }

  /** The results of rungs whose next rung is not wholly proposed yet (it promotes from them). */
  @Override
  public java.util.Set<String> promotable(int proposed, List<Result> results, List<Setting> inFlight) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Result r : results) {
      if (r.point() >= schedulePoints) {
        continue;
      }
      Halving.Slot slot = schedule.slot(r.point());
      Halving.Bracket bracket = schedule.brackets().get(slot.bracket());
      if (slot.rung() < bracket.rungs() - 1) {
        int nextEnd = schedule.firstPoint(slot.bracket(), slot.rung() + 1) + bracket.settings()[slot.rung() + 1];
        if (proposed < nextEnd) {
          ids.add(r.id());
        }
      }
    }
    return ids;
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
    // Lowest value first, ties by point; with several objectives by Pareto rank (MO-ASHA's non-dominated
    // sorting, the rank that does not fit whole by hypervolume contribution), feasible results first.
    return goals.best(results, results.size());
  }

  @Override
  public long limit() {
    return schedulePoints;
  }

  /** The schedule fixes the number of points; {@code trials} chose its first rung. */
  @Override
  public long total(int trials) {
    return schedulePoints;
  }
}
