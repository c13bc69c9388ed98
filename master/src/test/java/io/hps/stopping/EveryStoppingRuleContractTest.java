package io.hps.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Stopping;
import io.hps.space.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every stopping rule promises, whatever its method. */
class EveryStoppingRuleContractTest {
  static List<Curve> finished(int n, int epochs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Curve> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double floor = 0.02 + 0.3 * random.nextDouble();
      double[] errors = new double[epochs];
      for (int e = 0; e < epochs; e++) {
        errors[e] = floor + (0.9 - floor) * Math.exp(-0.7 * (e + 1));
      }
      out.add(new Curve("s" + i, new Params(Map.of("lr", 0.01 * (i + 1))), errors, true));
    }
    return out;
  }

  static Curve hopeless(int epochs) {
    double[] errors = new double[epochs];
    java.util.Arrays.fill(errors, 0.9);
    return new Curve("bad", new Params(Map.of("lr", 5.0)), errors, false);
  }

  @ParameterizedTest
  @EnumSource(Stopping.class)
  void aHopelessCurveAmongManyGoodOnesIsStoppedBeforeItsEnd(Stopping stopping) {
    StoppingRule rule = StoppingRules.create(stopping);
    List<Curve> others = finished(20, 10, 1);
    boolean stopped = false;
    for (int e = 1; e < 10 && !stopped; e++) {
      stopped = rule.stop(hopeless(e), 10, others).isPresent();
    }
    assertThat(stopped).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Stopping.class)
  void aTrialThatRanAllItsEpochsOrHasNoPeersIsNeverStopped(Stopping stopping) {
    StoppingRule rule = StoppingRules.create(stopping);
    assertThat(rule.stop(hopeless(10), 10, finished(20, 10, 1))).isEmpty();
    for (int e = 1; e <= 10; e++) {
      assertThat(rule.stop(hopeless(e), 10, List.of())).as("no peers, epoch " + e).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Stopping.class)
  void theBestCurveIsNeverStoppedAndAnswersAreTheSameEachTime(Stopping stopping) {
    StoppingRule rule = StoppingRules.create(stopping);
    List<Curve> others = finished(20, 10, 2);
    double[] best = new double[10];
    for (int e = 0; e < 10; e++) {
      best[e] = 0.005 + 0.5 * Math.exp(-1.5 * (e + 1));
    }
    for (int e = 1; e < 10; e++) {
      Curve prefix = new Curve("best", new Params(Map.of("lr", 0.05)), java.util.Arrays.copyOf(best, e), false);
      assertThat(rule.stop(prefix, 10, others)).as("epoch " + e).isEmpty();
      assertThat(rule.stop(hopeless(e), 10, others)).isEqualTo(rule.stop(hopeless(e), 10, others));
    }
  }
}
