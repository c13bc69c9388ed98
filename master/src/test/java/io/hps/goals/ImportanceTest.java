package io.hps.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Objective;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImportanceTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aDominantParameterRanksFirstAndAnIrrelevantOneLast() throws Exception {
    SearchSpace space = SearchSpace.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"name": "synthetic", "parameters": {
          "lr": {"type": "loguniform", "low": 1e-4, "high": 1},
          "momentum": {"type": "uniform", "low": 0, "high": 1},
          "noise": {"type": "uniform", "low": 0, "high": 1},
          "epochs": 1}}"""), "test");
    SplittableRandom random = new SplittableRandom(7);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double lr = Math.exp(Math.log(1e-4) + random.nextDouble() * Math.log(1e4));
      double momentum = random.nextDouble();
      double noise = random.nextDouble();
      // error: mostly how far log10(lr) is from -2, a little of momentum, nothing of noise
      double error = Math.min(1, 0.1 * Math.abs(Math.log10(lr) + 2) + 0.03 * momentum);
      Setting s = new Setting(String.format("s%06d", i), i, 0, 0, T,
          new Params(Map.of("lr", lr, "momentum", momentum, "noise", noise, "epochs", 1)));
      results.add(Result.of(s, Status.COMPLETE, null, "w", T, T, List.of(new Epoch(1, 1, 1, error, 1)), Map.of()));
    }
    Map<String, Double> shares = new Importance(space).of(results, Objective.DEFAULT);
    assertThat(shares.keySet()).containsExactly("lr", "momentum", "noise");
    assertThat(shares.get("lr")).isGreaterThan(0.6);
    assertThat(shares.get("noise")).isLessThan(0.1);
    assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
        org.assertj.core.api.Assertions.within(1e-9));
    assertThat(new Importance(space).of(results.subList(0, 19), Objective.DEFAULT)).isEmpty();
  }

  @Test
  void theBinnedDensityOfManyResultsIsTheExactOneWithinATenthOfAPercent() {
    java.util.Random random = new java.util.Random(3);
    double[] xs = new double[30_000];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i % 3 == 0 ? random.nextDouble() : Math.min(1, Math.abs(0.2 + 0.05 * random.nextGaussian()));
    }
    xs[0] = 0;
    xs[1] = 1;
    for (double h : new double[] {0.01, 0.037, 0.3}) {
      double[] exact = Importance.exactSums(xs, h);
      double[] binned = Importance.binnedSums(xs, h);
      for (int c = 0; c < exact.length; c++) {
        assertThat(binned[c]).as("cell %d, h %s", c, h).isCloseTo(exact[c],
            org.assertj.core.data.Offset.offset(1e-3 * exact[c] + 1e-9 * xs.length));
      }
    }
  }

  @Test
  void bestFirstIsAStableSortByValue() {
    java.util.Random random = new java.util.Random(5);
    List<Double> values = new java.util.ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      values.add(i % 13 == 0 ? -0.0 : i % 17 == 0 ? 0.0 : random.nextInt(50) / 7.0); // ties, and both zeros
    }
    Integer[] expected = new Integer[values.size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = i;
    }
    java.util.Arrays.sort(expected, java.util.Comparator.comparingDouble(values::get));
    assertThat(Importance.bestFirst(values)).containsExactly(java.util.Arrays.stream(expected).mapToInt(i -> i)
        .toArray());
  }
}
