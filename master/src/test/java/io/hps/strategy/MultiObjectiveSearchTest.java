package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.goals.Goals;
import io.hps.goals.Pareto;
import io.hps.json.Json;
import io.hps.protocol.Constraint;
import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.Objective;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The strategies for several objectives on ZDT1 (Zitzler, Deb, Thiele 2000; five variables): two objectives
 * whose front is {@code f2 = 1 - sqrt(f1)} where every variable but the first is 0. Measured by the hypervolume
 * of what each finds with reference point (1.1, 11) (the objectives' own scale: f1 in [0, 1], f2 in [0, 10]).
 */
class MultiObjectiveSearchTest {
  static final String SPACE = "{\"parameters\":{\"epochs\":1," + String.join(",", List.of(0, 1, 2, 3, 4).stream()
      .map(i -> "\"x" + i + "\":{\"type\":\"uniform\",\"low\":0,\"high\":1}").toList()) + "}}";
  static final List<Objective> ZDT1 = List.of(Objective.parse("f1"), Objective.parse("f2"));

  /** Runs {@code strategy} for {@code trials} points in batches of 5; returns the results. */
  static List<Result> run(Strategy strategy, int trials, long seed, List<Constraint> constraints) throws Exception {
    SearchSpace space = SearchSpace.parse(Json.MAPPER.readTree(SPACE), "zdt1");
    StudyConfig config = StudyConfig.builder(space.toJson(), strategy).name("z").created(Instant.EPOCH).seed(seed)
        .trials(trials).objectives(ZDT1, constraints).build();
    SearchStrategy s = Strategies.create(strategy, space, config);
    List<Result> results = new ArrayList<>();
    while (results.size() < trials) {
      for (Proposal proposal : s.propose(results.size(), List.copyOf(results), 5)) {
        int point = results.size();
        Params p = proposal.params();
        double[] x = new double[5];
        for (int i = 0; i < 5; i++) {
          x[i] = p.getDouble("x" + i);
        }
        double g = 1 + 9 * (x[1] + x[2] + x[3] + x[4]) / 4;
        double f1 = x[0];
        double f2 = g * (1 - Math.sqrt(f1 / g));
        Setting setting = new Setting(Ids.setting(point), point, 0, 0, Instant.EPOCH, p);
        results.add(Result.of(setting, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
            List.of(new Epoch(1, 1, 1, 0.5, 1, null, null, Map.of("f1", f1, "f2", f2))), Map.of()));
      }
    }
    return results;
  }

  static double hypervolume(List<Result> results, List<Constraint> constraints) {
    Goals goals = new Goals(ZDT1, constraints);
    List<double[]> points = goals.front(results).stream().map(r -> goals.values(r).orElseThrow()).toList();
    return Pareto.hypervolume(points, new double[] {1.1, 11});
  }

  static double mean(Strategy strategy, List<Constraint> constraints) throws Exception {
    double sum = 0;
    for (long seed = 1; seed <= 5; seed++) {
      sum += hypervolume(run(strategy, 100, seed, constraints), constraints);
    }
    return sum / 5;
  }

  @Test
  void tpeAndNsga2FindBetterFrontsThanRandomSearch() throws Exception {
    double random = mean(Strategy.RANDOM, List.of());
    double tpe = mean(Strategy.TPE, List.of());
    double nsga2 = mean(Strategy.NSGA2, List.of());
    System.out.printf("ZDT1, 100 points, mean hypervolume over 5 seeds: random %.3f, tpe %.3f, nsga2 %.3f%n", random,
        tpe, nsga2);
    assertThat(tpe).isGreaterThan(random);
    assertThat(nsga2).isGreaterThan(random);
  }

  @Test
  void aConstraintDrawsTheSearchInsideItsBound() throws Exception {
    // f1 >= 0.5 cuts the front in half: random search keeps it about half the time
    List<Constraint> bound = List.of(Constraint.parse("f1>=0.5"));
    Goals goals = new Goals(ZDT1, bound);
    long[] feasible = new long[3];
    List<Strategy> strategies = List.of(Strategy.RANDOM, Strategy.TPE, Strategy.NSGA2);
    for (int k = 0; k < 3; k++) {
      for (long seed = 1; seed <= 3; seed++) {
        List<Result> results = run(strategies.get(k), 100, seed, bound);
        feasible[k] += results.subList(40, 100).stream().filter(goals::feasible).count();
        assertThat(goals.front(results)).isNotEmpty().allMatch(r -> goals.values(r).orElseThrow()[0] >= 0.5);
      }
    }
    System.out.printf("ZDT1 with f1>=0.5: feasible among points 40-99 of 3 seeds: random %d, tpe %d, nsga2 %d of 180%n",
        feasible[0], feasible[1], feasible[2]);
    // TPE counts infeasible results as bad, but its kernels around the good ones (the front starts at the bound,
    // f1 = 0.5, and its hypervolume weights favour that end) put much of their mass just below the bound:
    // measured 106 against random's 103 of 180, NSGA-II 161. Only its front is held to the bound (above);
    // NSGA-II's selection keeps the search inside.
    assertThat(feasible[2]).as("nsga2 against random").isGreaterThan(feasible[0] + 10);
  }

  /**
   * Successive halving and ASHA promote by Pareto rank (MO-ASHA): of nine first-rung results, the three on the
   * front go on, not the three with the lowest first objective.
   */
  @Test
  void halvingAndAshaPromoteTheFrontNotTheBestOfOneObjective() throws Exception {
    SearchSpace space = SearchSpace.parse(Json.MAPPER.readTree("{\"parameters\":{\"epochs\":9,"
        + "\"x\":{\"type\":\"uniform\",\"low\":0,\"high\":1}}}"), "rungs");
    double[][] values = {{0.1, 0.9}, {0.2, 0.95}, {0.3, 0.92}, {0.5, 0.5}, {0.6, 0.8}, {0.9, 0.1}, {0.95, 0.6},
        {0.7, 0.7}, {0.8, 0.9}};
    for (Strategy strategy : List.of(Strategy.SUCCESSIVE_HALVING, Strategy.ASHA)) {
      StudyConfig config = StudyConfig.builder(space.toJson(), strategy).name("r").created(Instant.EPOCH).seed(1)
          .trials(9).halving(3, 1).objectives(ZDT1, List.of()).build();
      SearchStrategy s = Strategies.create(strategy, space, config);
      List<Proposal> first = s.propose(0, List.of(), 9);
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        Setting setting = new Setting(Ids.setting(i), i, 0, 0, Instant.EPOCH, first.get(i).params())
            .planned(first.get(i).budget(), first.get(i).lineage());
        results.add(Result.of(setting, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH, List.of(new Epoch(1, 1,
            1, 0.5, 1, null, null, Map.of("f1", values[i][0], "f2", values[i][1]))), Map.of()));
      }
      List<String> parents = s.propose(9, results, 3).stream().map(p -> p.lineage().parent()).toList();
      assertThat(parents).as(strategy.json()).containsExactlyInAnyOrder(Ids.setting(0), Ids.setting(3), Ids.setting(5));
    }
  }

  @Test
  void crowdingDistanceFavoursTheEndsAndTheLonely() {
    double[] d = NsgaSearch.crowding(List.of(new double[] {0, 1}, new double[] {0.1, 0.9}, new double[] {0.5, 0.5},
        new double[] {1, 0}));
    assertThat(d[0]).isInfinite();
    assertThat(d[3]).isInfinite();
    assertThat(d[2]).isGreaterThan(d[1]);
    assertThat(Arrays.stream(d).filter(Double::isFinite)).hasSize(2);
  }
}
