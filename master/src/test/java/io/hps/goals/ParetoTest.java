package io.hps.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParetoTest {
  private static double[] p(double... v) {
    return v;
  }

  @Test
  void ranksPeelFrontsOffOneByOne() {
    List<double[]> points = List.of(p(1, 5), p(2, 2), p(5, 1), p(3, 3), p(6, 6), p(2, 2));
    assertThat(Pareto.ranks(points)).containsExactly(0, 0, 0, 1, 2, 0);
    assertThat(Pareto.dominates(p(1, 1), p(1, 2))).isTrue();
    assertThat(Pareto.dominates(p(1, 2), p(1, 2))).isFalse();
  }

  @Test
  void oneOrTwoObjectivesAreRankedInOneSweepAsByComparingEveryPair() {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = {Double.NEGATIVE_INFINITY, -1, -0.0, 0.0, 0.5, 1, 2, Double.POSITIVE_INFINITY};
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(120);
      List<double[]> points = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        // few distinct values (ties, equal points, -0.0 beside 0.0, infinities) or many (long chains of fronts)
        points.add(round % 2 == 0 ? p(values[random.nextInt(values.length)], values[random.nextInt(values.length)])
            : p(random.nextInt(40), random.nextInt(40)));
      }
      assertThat(Pareto.ranksOfTwo(points)).as("round %d", round).containsExactly(Pareto.ranksByPairs(points));
    }
    for (int round = 0; round < 100; round++) {
      List<double[]> points = new java.util.ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(80); i++) {
        points.add(p(round % 2 == 0 ? values[random.nextInt(values.length)] : random.nextInt(30)));
      }
      assertThat(Pareto.ranks(points)).as("one objective, round %d", round)
          .containsExactly(Pareto.ranksByPairs(points));
    }
    List<double[]> withNaN = List.of(p(1, Double.NaN), p(2, 2), p(1, 1));
    assertThat(Pareto.ranks(withNaN)).containsExactly(Pareto.ranksByPairs(withNaN)); // NaN: compared pair by pair
  }

  @Test
  void hypervolumeInTwoDimensionsIsTheAreaOfTheStaircase() {
    // (1,3), (2,2), (3,1) with reference (4,4): 3x1 + 2x1 + 1x1 = 6; a dominated and an outside point add nothing
    List<double[]> front = List.of(p(1, 3), p(2, 2), p(3, 1), p(3, 3), p(5, 0));
    assertThat(Pareto.hypervolume(front, p(4, 4))).isCloseTo(6, within(1e-12));
  }

  @Test
  void hypervolumeInThreeDimensionsMatchesAMonteCarloEstimate() {
    List<double[]> points = List.of(p(0.2, 0.6, 0.5), p(0.5, 0.2, 0.7), p(0.7, 0.7, 0.1), p(0.4, 0.4, 0.4));
    double[] ref = p(1, 1, 1);
    SplittableRandom random = new SplittableRandom(1);
    int inside = 0;
    int n = 400_000;
    for (int i = 0; i < n; i++) {
      double[] x = p(random.nextDouble(), random.nextDouble(), random.nextDouble());
      if (points.stream().anyMatch(q -> q[0] <= x[0] && q[1] <= x[1] && q[2] <= x[2])) {
        inside++;
      }
    }
    assertThat(Pareto.hypervolume(points, ref)).isCloseTo((double) inside / n, within(0.003));
    // a box: exactly its volume
    assertThat(Pareto.hypervolume(List.of(p(0.5, 0.5, 0.5)), ref)).isCloseTo(0.125, within(1e-12));
  }

  @Test
  void greedyContributionPicksWhatAddsTheMostVolumeNext() {
    // alone, (0.5, 0.5) covers 0.36 of the box to (1.1, 1.1); next to it (0.1, 0.9) adds 0.08, more than
    // either end (0.05 each); then (1, 0) still adds 0.05, (0, 1) only 0.01
    List<double[]> level = List.of(p(0, 1), p(0.1, 0.9), p(1, 0), p(0.5, 0.5));
    assertThat(Pareto.greedyByContribution(level, 4, p(1.1, 1.1))).containsExactly(3, 1, 2, 0);
  }
}
