package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeSearchTest {
  static SearchSpace space() throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree("{\"parameters\": {\"model\": \"synthetic\","
        + " \"x\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}, \"y\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1},"
        + " \"lr\": {\"type\": \"loguniform\", \"low\": 0.0001, \"high\": 1},"
        + " \"opt\": [\"sgd\", \"adam\", \"rmsprop\"]}}"), "t");
  }

  /** A known bowl in [0, 1] (a validation error): best at x 0.7, y 0.2, lr 0.01, adam. */
  static double f(Params p) {
    double lr = Math.log10(p.getDouble("lr")) + 2;
    return (Math.pow(p.getDouble("x") - 0.7, 2) + Math.pow(p.getDouble("y") - 0.2, 2) + lr * lr / 16
        + (p.getString("opt").equals("adam") ? 0 : 0.05)) / 2;
  }

  static Result result(int point, Params p, double value) {
    Setting s = new Setting(Ids.setting(point), point, 0, point, Instant.EPOCH, p);
    return Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
        List.of(new Epoch(1, value, value, value, 1)), Map.of());
  }

  /** The best value after {@code n} sequential evaluations. */
  static double best(Strategy strategy, long seed, int n) throws Exception {
    SearchStrategy s = Strategies.create(strategy, space(), seed);
    List<Result> results = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      Params p = s.propose(i, List.copyOf(results), 1).get(0).params();
      double v = f(p);
      best = Math.min(best, v);
      results.add(result(i, p, v));
    }
    return best;
  }

  @Test
  void findsABetterPointThanRandomSearchOnAKnownFunctionOverManySeeds() throws Exception {
    int seeds = 20;
    double tpe = 0;
    double random = 0;
    int wins = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      double t = best(Strategy.TPE, seed, 40);
      double r = best(Strategy.RANDOM, seed, 40);
      tpe += t / seeds;
      random += r / seeds;
      wins += t < r ? 1 : 0;
    }
    System.out.printf("TPE against random search, 20 seeds x 40 evaluations: mean best %.4f vs %.4f, TPE better"
        + " on %d of %d seeds%n", tpe, random, wins, seeds);
    assertThat(tpe).isLessThan(random * 0.6);
    assertThat(wins).isGreaterThanOrEqualTo(14);
  }

  @Test
  void aBatchAndTheSettingsInFlightAreNotProposedAgain() throws Exception {
    SearchStrategy s = Strategies.create(Strategy.TPE, space(), 3);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Params p = s.propose(i, List.copyOf(results), 1).get(0).params();
      results.add(result(i, p, f(p)));
    }
    List<Params> batch = s.propose(20, results, 8).stream().map(Proposal::params).toList();
    assertThat(batch).hasSize(8).doesNotHaveDuplicates();
    SearchSpace space = space();
    double closest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < batch.size(); i++) {
      for (int j = i + 1; j < batch.size(); j++) {
        closest = Math.min(closest, distance(space.encode(batch.get(i)), space.encode(batch.get(j))));
      }
    }
    assertThat(closest).as("no two points of one batch nearly the same").isGreaterThan(0.01);
    // The same proposal with the first of them still training is another point.
    Setting running = new Setting(Ids.setting(20), 20, 0, 1, Instant.EPOCH, batch.get(0));
    Params alone = s.propose(21, results, 1).get(0).params();
    Params aware = s.propose(21, results, List.of(running), 1).get(0).params();
    assertThat(aware).isNotEqualTo(alone);
    assertThat(s.propose(21, results, List.of(running), 1).get(0).params()).as("deterministic").isEqualTo(aware);
  }

  @Test
  void theOrderResultsArriveInDoesNotChangeTheProposal() throws Exception {
    SearchStrategy s = Strategies.create(Strategy.TPE, space(), 5);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      Params p = s.propose(i, List.copyOf(results), 1).get(0).params();
      results.add(result(i, p, f(p)));
    }
    List<Result> reversed = new ArrayList<>(results);
    java.util.Collections.reverse(reversed);
    assertThat(s.propose(15, reversed, 3)).isEqualTo(s.propose(15, results, 3));
  }

  static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }

  /**
   * Past {@link TpeSearch#BAD_KERNELS} other results the bad density is a sample of them: the same proposal
   * whatever order the results come in, the good split unchanged, and the why says so.
   */
  @Test
  void aLargeHistoryIsSampledTheSameWhateverItsOrder() throws Exception {
    SearchSpace space = space();
    SearchStrategy random = Strategies.create(Strategy.RANDOM, space, 3);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Params p = random.propose(i, List.of(), 1).get(0).params();
      results.add(result(i, p, f(p)));
    }
    TpeSearch tpe = new TpeSearch(space, 9);
    List<Result> shuffled = new ArrayList<>(results);
    java.util.Collections.shuffle(shuffled, new java.util.Random(5));
    var inOrder = tpe.propose(3000, results, List.of(), 2);
    assertThat(tpe.propose(3000, shuffled, List.of(), 2)).isEqualTo(inOrder);
    assertThat(inOrder.get(0).why()).contains("of 3000 results, the best 25").contains("1000 of the other 2975");
    // the good split is the best 25 by value, as a full sort says
    io.hps.goals.Goals goals = io.hps.goals.Goals.single();
    assertThat(goals.best(shuffled, 25)).containsExactlyElementsOf(goals.best(results, 3000).subList(0, 25));
    // and the proposal lands near the bowl's bottom (x 0.7, y 0.2), as with a full history
    assertThat(Math.abs(inOrder.get(0).params().getDouble("x") - 0.7)).isLessThan(0.25);
  }

  /**
   * Issue 30: past 1,025 results, TPE given a ledger's growing results keeps its best-first order and finds the bad
   * density's sample by position; each proposal must equal a fresh instance's from the whole list, through results
   * arriving out of order, failures, ties and a constraint, and when the list is not in point order (same point and
   * repeat, ids out of order: then it reads every result, as before).
   */
  @Test
  void proposalsFromGrowingResultsAreThoseOfTheWholeList() throws Exception {
    SearchSpace space = space();
    SearchStrategy random = Strategies.create(Strategy.RANDOM, space, 3);
    for (io.hps.goals.Goals goals : List.of(io.hps.goals.Goals.single(), new io.hps.goals.Goals(
        List.of(io.hps.protocol.Objective.DEFAULT), List.of(io.hps.protocol.Constraint.parse("valError>=0.02"))))) {
      TpeSearch incremental = new TpeSearch(space, 9, TpeSearch.STARTUP, goals);
      // by point alone, as a ledger that meets equal points and repeats might keep them
      GrowingList results = new GrowingList(java.util.Comparator.comparingInt(Result::point));
      java.util.Random order = new java.util.Random(4);
      List<Integer> points = new ArrayList<>();
      for (int i = 0; i < 1400; i++) {
        points.add(i);
      }
      // mostly in order, some late: shuffle within windows of 30
      for (int from = 0; from < points.size(); from += 30) {
        java.util.Collections.shuffle(points.subList(from, Math.min(points.size(), from + 30)), order);
      }
      int compared = 0;
      for (int point : points) {
        Params p = random.propose(point, List.of(), 1).get(0).params();
        Setting s = new Setting(Ids.setting(point), point, 0, point, Instant.EPOCH, p);
        results.accept(order.nextInt(20) == 0
            ? Result.of(s, Status.FAILED, "made to fail", "w", Instant.EPOCH, Instant.EPOCH, List.of(), Map.of())
            : result(point, p, Math.round(f(p) * 50) / 50.0)); // ties
        if (results.size() > 1020 && results.size() % 17 == 0) {
          List<Proposal> got = incremental.propose(results.size(), results, List.of(), 2);
          List<Proposal> expected = new TpeSearch(space, 9, TpeSearch.STARTUP, goals)
              .propose(results.size(), new ArrayList<>(results), List.of(), 2);
          assertThat(got).as("at %d results", results.size()).isEqualTo(expected);
          compared++;
        }
      }
      assertThat(compared).isGreaterThan(20);
      // a second result of an existing point and repeat with a smaller id: out of point order from there on
      for (int i = 300; i >= 1; i--) { // each placed first, so their ids descend, and all before s000000
        Params p = random.propose(5000 + i, List.of(), 1).get(0).params();
        results.accept(Result.of(new Setting(String.format("t%06d", i), 0, 0, 0, Instant.EPOCH, p), Status.COMPLETE,
            null, "w", Instant.EPOCH, Instant.EPOCH, List.of(new Epoch(1, 0.3, 0.3, 0.3, 1)), Map.of()));
      }
      List<String> first = results.subList(0, 301).stream().map(Result::id).toList();
      assertThat(first).as("point 0's results, not by id").contains("s000000").isNotEqualTo(first.stream().sorted()
          .toList());
      assertThat(incremental.propose(results.size(), results, List.of(), 1)).isEqualTo(new TpeSearch(space, 9,
          TpeSearch.STARTUP, goals).propose(results.size(), new ArrayList<>(results), List.of(), 1));
    }
  }
}
