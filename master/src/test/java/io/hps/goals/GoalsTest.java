package io.hps.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Constraint;
import io.hps.protocol.Epoch;
import io.hps.protocol.Objective;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoalsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /** A result of point {@code i} with validation error {@code error}, {@code seconds} of training and {@code size} parameters. */
  static Result result(int i, double error, double seconds, Long size) {
    Setting s = new Setting(String.format("s%06d", i), i, 0, 0, T, new Params(Map.of("x", i * 0.01)));
    Map<String, Object> info = size == null ? Map.of() : Map.of("numFreeParameters", size);
    return Result.of(s, Status.COMPLETE, null, "w", T, T, List.of(new Epoch(1, 0.5, 0.4, error, seconds + 1,
        seconds, 1.0, null)), info);
  }

  private final Goals two = new Goals(List.of(Objective.parse("valError"), Objective.parse("trainSeconds")),
      List.of(Constraint.parse("numFreeParameters<=1000")));

  @Test
  void theFrontHoldsTheFeasibleResultsNoOtherBeats() {
    List<Result> results = List.of(result(0, 0.1, 50, 500L), result(1, 0.2, 10, 500L), result(2, 0.3, 60, 500L),
        result(3, 0.05, 5, 5000L), result(4, 0.15, 30, 900L), result(5, 0.01, 1, null));
    // 3 beats all but breaks the size bound; 5 lacks the size: both infeasible, kept out of the front
    assertThat(two.front(results)).extracting(Result::id).containsExactly("s000000", "s000001", "s000004");
    assertThat(two.feasible(results.get(3))).isFalse();
    assertThat(two.violation(results.get(3))).isEqualTo(4000);
    assertThat(two.violation(results.get(5))).isInfinite();
    assertThat(two.breaks(results.get(3))).isTrue();
    assertThat(two.breaks(results.get(5))).as("lacks the metric: not feasible, but it broke no bound").isFalse();
    // MOTPE's split: the front first (whole when it fits), then the infeasible by how far they miss
    assertThat(two.best(results, 3)).extracting(Result::id).containsExactlyInAnyOrder("s000000", "s000001", "s000004");
    assertThat(two.best(results, 6)).extracting(Result::id).endsWith("s000003", "s000005");
  }

  /**
   * Issue 30: the k best of one objective, picked in one pass with a bounded heap, are the first k of a plain
   * sort (value, then point, then id; infeasible by how far they miss; results without a value last), with ties,
   * repeated points, results out of order and every k.
   */
  @Test
  void theBestOfOneObjectiveAreThePrefixOfAFullSort() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    List<Result> results = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int point = random.nextInt(300); // some points twice: the id breaks their ties
      double error = random.nextInt(20) / 20.0; // many equal values
      Long size = random.nextInt(10) == 0 ? null : (long) random.nextInt(2000);
      Setting s = new Setting(String.format("s%06d", i), point, 0, 0, T, new Params(Map.of("x", point * 0.01)));
      results.add(random.nextInt(15) == 0 ? Result.of(s, Status.FAILED, "crashed", "w", T, T, List.of(), Map.of())
          : Result.of(s, Status.COMPLETE, null, "w", T, T, List.of(new Epoch(1, 0.5, 0.4, error, 2.0, 1.0, 1.0, null)),
              size == null ? Map.of() : Map.of("numFreeParameters", size)));
    }
    java.util.Collections.shuffle(results, new java.util.Random(3));
    java.util.Comparator<Result> tie = java.util.Comparator.comparingInt(Result::point).thenComparing(Result::id);
    for (Goals goals : List.of(Goals.single(), new Goals(List.of(Objective.DEFAULT),
        List.of(Constraint.parse("numFreeParameters<=1000"))))) {
      List<Result> valued = results.stream().filter(r -> r.status() == Status.COMPLETE).toList();
      List<Result> expected = new java.util.ArrayList<>(valued.stream().filter(goals::feasible).sorted(
          java.util.Comparator.comparingDouble((Result r) -> goals.values(r).orElseThrow()[0]).thenComparing(tie))
          .toList());
      expected.addAll(valued.stream().filter(r -> !goals.feasible(r))
          .sorted(java.util.Comparator.comparingDouble(goals::violation).thenComparing(tie)).toList());
      expected.addAll(results.stream().filter(r -> r.status() != Status.COMPLETE).sorted(tie).toList());
      for (int k = 1; k <= results.size(); k += k < 30 ? 1 : 37) {
        assertThat(goals.best(results, k)).as(goals + ", k = " + k).containsExactlyElementsOf(expected.subList(0, k));
      }
    }
  }

  @Test
  void maximisedObjectivesAreNegatedForTheSearchAndShownAsRead() {
    Goals accuracy = new Goals(List.of(Objective.parse("acc:max")), List.of());
    Result r = Result.of(new Setting("s000001", 1, 0, 0, T, new Params(Map.of())), Status.COMPLETE, null, "w", T, T,
        List.of(new Epoch(1, 0.5, 0.4, 0.1, 1, null, null, Map.of("acc", 0.9))), Map.of());
    assertThat(accuracy.values(r).orElseThrow()).containsExactly(-0.9);
    assertThat(accuracy.shown(r).orElseThrow()).containsExactly(0.9);
    assertThat(accuracy.unreported(List.of(r))).isEmpty();
    // valError is built in, trainSeconds falls back on elapsedSeconds; the size is nowhere in this result
    assertThat(two.unreported(List.of(r))).containsExactly("numFreeParameters");
  }

  @Test
  void metricsNoResultHasAreNamed() {
    Goals goals = new Goals(List.of(Objective.parse("valError"), Objective.parse("latencyMs")),
        List.of(Constraint.parse("memoryMb<=100")));
    assertThat(goals.unreported(List.of(result(0, 0.1, 1, 10L)))).containsExactly("latencyMs", "memoryMb");
  }
}
