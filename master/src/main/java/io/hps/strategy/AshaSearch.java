package io.hps.strategy;

import io.hps.goals.Goals;
import io.hps.protocol.Lineage;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020). Rungs train for the successive-halving budgets
 * ({@code minEpochs, minEpochs * eta, ...}, the last one the space's {@code epochs}). Each proposal is
 * the best setting of the highest rung that has one in the top {@code 1/eta} of its finished results and
 * not yet promoted, trained on the next rung's budget; when there is none, a new random configuration on
 * the first rung. No rung waits to be complete, so workers never wait for stragglers (use
 * {@code --mode async}). {@code trials} first-rung configurations are drawn; after them only promotions,
 * and the study ends when none is left. Deterministic given the seed, the results and the settings in
 * flight. A promoted setting is retrained from scratch, or in a study with checkpoints continues from the
 * state its parent saved.
 */
final class AshaSearch implements SearchStrategy {
  private final RandomSearch configurations;
  private final int trials;
  private final int eta;
  private final int[] budgets;
  /** What "best" means in a rung: the study's objectives and constraints. */
  private final Goals goals;

  AshaSearch(SearchSpace space, long seed, int trials, int minEpochs, int maxEpochs, int eta) {
    this(space, seed, trials, minEpochs, maxEpochs, eta, Goals.single());
  }

  AshaSearch(SearchSpace space, long seed, int trials, int minEpochs, int maxEpochs, int eta, Goals goals) {
    this.goals = goals;
    this.configurations = new RandomSearch(space, seed);
    this.trials = trials;
    this.eta = eta;
    this.budgets = Halving.successive(Math.max(trials, 1), minEpochs, maxEpochs, eta).brackets().get(0).epochs();
  }

  /** The rungs' budgets in epochs, first to last. */
  int[] budgets() {
    return budgets.clone();
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, int count) {
    return propose(proposed, results, List.of(), count);
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, List<Setting> inFlight, int count) {
    if (proposed >= limit()) {
      return List.of();
    }
    if (goals.objectives().size() == 1) {
      return proposeOne(results, inFlight, count);
    }
    List<List<Result>> finished = new ArrayList<>();
    for (int k = 0; k < budgets.length; k++) {
      finished.add(new ArrayList<>());
    }
    Set<String> promoted = new HashSet<>();
    int drawn = 0;
    for (Result r : results) {
      int rung = r.lineage() == null ? 0 : r.lineage().rung();
      if (rung < budgets.length) {
        finished.get(rung).add(r);
      }
      if (r.lineage() != null && r.lineage().parent() != null) {
        promoted.add(r.lineage().parent());
      }
      drawn += rung == 0 ? 1 : 0;
    }
    for (Setting s : inFlight) {
      if (s.lineage() != null && s.lineage().parent() != null) {
        promoted.add(s.lineage().parent());
      }
      drawn += s.lineage() == null || s.lineage().rung() == 0 ? 1 : 0;
    }
    // Each rung best first by Pareto rank, as MO-ASHA's non-dominated sorting (the rank that does not fit whole
    // by hypervolume contribution), feasible ones first.
    for (int k = 0; k < finished.size(); k++) {
      finished.set(k, new ArrayList<>(goals.best(finished.get(k), finished.get(k).size())));
    }
    return fill(count, drawn, () -> promotion(finished, promoted));
  }

  private Proposal firstRung(int drawn) {
    return new Proposal(configurations.point(drawn), budgets[0], new Lineage(0, null, null), "ASHA rung 0 ("
        + budgets[0] + (budgets[0] == 1 ? " epoch" : " epochs") + "): random configuration " + (drawn + 1) + " of "
        + trials + " (no finished result was in the top 1/" + eta + " of its rung and unpromoted)");
  }

  /**
   * One objective: each rung's results kept in order (a {@link Rungs}, taken in only as results are accepted when
   * the master's ledger gives them, see {@link GrowingResults}), so a proposal looks at a few results per rung,
   * not at every result (a pass over all of them per proposal made a study's cost grow with its square).
   */
  private List<Proposal> proposeOne(List<Result> results, List<Setting> inFlight, int count) {
    Rungs state = rungs.of(results);
    // Settings in flight and this call's promotions count as promoted for this call only.
    List<String> marked = new ArrayList<>();
    int drawn = state.drawn;
    try {
      for (Setting s : inFlight) {
        if (s.lineage() != null && s.lineage().parent() != null && state.promote(s.lineage().parent())) {
          marked.add(s.lineage().parent());
        }
        drawn += s.lineage() == null || s.lineage().rung() == 0 ? 1 : 0;
      }
      Rungs kept = state;
      return fill(count, drawn, () -> kept.promotion(marked));
    } finally {
      for (int i = marked.size() - 1; i >= 0; i--) {
        state.unpromote(marked.get(i));
      }
    }
  }

  /** {@code count} proposals: promotions while there are, then first-rung configurations from {@code drawn} on. */
  private List<Proposal> fill(int count, int drawn, java.util.function.Supplier<Proposal> promotion) {
    List<Proposal> out = new ArrayList<>();
    while (out.size() < count) {
      Proposal next = promotion.get();
      if (next == null) {
        if (drawn >= trials) {
          break;
        }
        next = firstRung(drawn);
        drawn++;
      }
      out.add(next);
    }
    return out;
  }

  /** What the last proposal worked out from the ledger's results (one objective). */
  private final GrowingResults.Memo<Rungs> rungs = new GrowingResults.Memo<>(Rungs::new, Rungs::add);

  /**
   * Each rung's finished results in best-first order (one objective), split into those promoted (a later setting
   * names them as its parent) and those not yet with a value, so that a rung's best unpromoted result is its first
   * and its place in the whole rung is the number of promoted results before it.
   */
  private final class Rungs {
    int drawn;
    final int[] size = new int[budgets.length];
    final List<java.util.TreeSet<Rank>> unpromoted = new ArrayList<>();
    final List<java.util.TreeSet<Rank>> promotedRanks = new ArrayList<>();
    final java.util.Map<String, Rank> rankOf = new java.util.HashMap<>();
    final java.util.Map<String, Result> resultOf = new java.util.HashMap<>();
    final Set<String> promoted = new HashSet<>();

    Rungs() {
      for (int k = 0; k < budgets.length; k++) {
        unpromoted.add(new java.util.TreeSet<>());
        promotedRanks.add(new java.util.TreeSet<>());
      }
    }

    void add(Result r) {
      int rung = r.lineage() == null ? 0 : r.lineage().rung();
      if (rung < budgets.length) {
        size[rung]++;
        Rank rank = rank(r, rung);
        if (rank.kind() < 2) { // a result without a value is never promoted and never ranks before one with
          rankOf.put(r.id(), rank);
          resultOf.put(r.id(), r);
          (promoted.contains(r.id()) ? promotedRanks : unpromoted).get(rung).add(rank);
        }
      }
      drawn += rung == 0 ? 1 : 0;
      if (r.lineage() != null && r.lineage().parent() != null) {
        promote(r.lineage().parent());
      }
    }

    /** Counts {@code id} as promoted; false when it was already. */
    boolean promote(String id) {
      if (!promoted.add(id)) {
        return false;
      }
      Rank rank = rankOf.get(id);
      if (rank != null && unpromoted.get(rank.rung()).remove(rank)) {
        promotedRanks.get(rank.rung()).add(rank);
      }
      return true;
    }

    /** Undoes a {@link #promote} that returned true. */
    void unpromote(String id) {
      promoted.remove(id);
      Rank rank = rankOf.get(id);
      if (rank != null && promotedRanks.get(rank.rung()).remove(rank)) {
        unpromoted.get(rank.rung()).add(rank);
      }
    }

    /** The best unpromoted result with a value of the highest rung whose top 1/eta holds it; null when none. */
    Proposal promotion(List<String> marked) {
      for (int k = budgets.length - 2; k >= 0; k--) {
        int top = size[k] / eta;
        if (top == 0 || unpromoted.get(k).isEmpty()) {
          continue;
        }
        Rank best = unpromoted.get(k).first();
        // every result before it in the rung is promoted: count those after it (few), not those before
        java.util.TreeSet<Rank> done = promotedRanks.get(k);
        int position = done.size() - done.tailSet(best, false).size();
        if (position < top) {
          promote(best.id());
          marked.add(best.id());
          return AshaSearch.this.promote(resultOf.get(best.id()), k, position, size[k], top);
        }
      }
      return null;
    }
  }

  /** A setting below the last rung may be promoted. */
  @Override
  public boolean mayContinue(Proposal proposal) {
    return proposal.lineage() != null && proposal.lineage().rung() < budgets.length - 1;
  }

  /**
   * Every finished, unpromoted setting below the last rung: as a rung fills, its top 1/eta grows, so any
   * of them may still be promoted while the study runs.
   */
  @Override
  public Set<String> promotable(int proposed, List<Result> results, List<Setting> inFlight) {
    Set<String> promoted = new HashSet<>();
    for (Result r : results) {
      if (r.lineage() != null && r.lineage().parent() != null) {
        promoted.add(r.lineage().parent());
      }
    }
    for (Setting s : inFlight) {
      if (s.lineage() != null && s.lineage().parent() != null) {
        promoted.add(s.lineage().parent());
      }
    }
    Set<String> ids = new HashSet<>();
    for (Result r : results) {
      int rung = r.lineage() == null ? 0 : r.lineage().rung();
      if (rung < budgets.length - 1 && goals.values(r).isPresent() && !promoted.contains(r.id())) {
        ids.add(r.id());
      }
    }
    return ids;
  }

  /** The best unpromoted setting in the top 1/eta of the highest rung that has one; null when none. */
  private Proposal promotion(List<List<Result>> finished, Set<String> promoted) {
    for (int k = budgets.length - 2; k >= 0; k--) {
      List<Result> rung = finished.get(k);
      int top = rung.size() / eta;
      for (int i = 0; i < top; i++) {
        Result r = rung.get(i);
        if (goals.values(r).isPresent() && promoted.add(r.id())) {
          return promote(r, k, i, rung.size(), top);
        }
      }
    }
    return null;
  }

  private Proposal promote(Result r, int k, int position, int finishedInRung, int top) {
    return new Proposal(r.params(), budgets[k + 1], new Lineage(k + 1, null, r.id()), "ASHA rung " + (k + 1)
        + " (" + budgets[k + 1] + (budgets[k + 1] == 1 ? " epoch" : " epochs") + "): promotes " + r.id() + ", ranked "
        + (position + 1) + " of the " + finishedInRung + " finished results of rung " + k + " (its top 1/" + eta
        + " is " + top + "), the highest rung with one to promote");
  }

  /**
   * Where {@link Goals#best} puts a result of a study with one objective: feasible ones by value, then infeasible
   * ones by how far they miss, then those without a value; ties by point, then id.
   */
  record Rank(int kind, double value, int point, String id, int rung) implements Comparable<Rank> {
    /** Where {@code r} of {@code rung} goes among a one-objective study's results. */
    static Rank of(Goals goals, Result r, int rung) {
      java.util.Optional<double[]> v = goals.values(r);
      if (v.isEmpty()) {
        return new Rank(2, 0, r.point(), r.id(), rung);
      }
      double violation = goals.violation(r);
      return violation == 0 ? new Rank(0, v.get()[0], r.point(), r.id(), rung)
          : new Rank(1, violation, r.point(), r.id(), rung);
    }

    @Override
    public int compareTo(Rank o) {
      int c = Integer.compare(kind, o.kind);
      if (c == 0) {
        c = Double.compare(value, o.value);
      }
      if (c == 0) {
        c = Integer.compare(point, o.point);
      }
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  private Rank rank(Result r, int rung) {
    return Rank.of(goals, r, rung);
  }

  /** At most: every first-rung configuration, and the promotions the top fractions allow. */
  @Override
  public long total(int n) {
    long sum = 0;
    long rung = trials;
    for (int k = 0; k < budgets.length; k++) {
      sum += rung;
      rung /= eta;
    }
    return sum;
  }

  @Override
  public long limit() {
    return total(trials);
  }
}
