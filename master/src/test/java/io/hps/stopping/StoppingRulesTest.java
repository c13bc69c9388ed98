package io.hps.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.space.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoppingRulesTest {
  static Curve curve(String id, double lr, boolean ended, double... errors) {
    return new Curve(id, new Params(Map.of("lr", lr)), errors, ended);
  }

  @Test
  void theMedianRuleStopsATrialWorseThanTheMedianOfTheOthersMeans() {
    List<Curve> others = List.of(curve("a", 0.1, true, 0.5, 0.3, 0.2), curve("b", 0.1, true, 0.6, 0.4, 0.3),
        curve("c", 0.1, true, 0.7, 0.5, 0.4), curve("d", 0.1, true, 0.8, 0.6, 0.5), curve("e", 0.1, true, 0.9, 0.7,
        0.6));
    // means over epochs 1-2: 0.4, 0.5, 0.6, 0.7, 0.8: median 0.6
    MedianRule rule = new MedianRule(2, 5);
    assertThat(rule.stop(curve("t", 0.1, false, 0.9, 0.65), 3, others)).get().asString()
        .contains("0.6500 after 2 epochs", "median 0.6000 of 5");
    assertThat(rule.stop(curve("t", 0.1, false, 0.9, 0.55), 3, others)).isEmpty();
    assertThat(rule.stop(curve("t", 0.1, false, 0.99), 3, others)).as("before minEpochs").isEmpty();
    assertThat(rule.stop(curve("t", 0.1, false, 0.99, 0.99), 3, others.subList(0, 4))).as("too few others").isEmpty();
    assertThat(rule.stop(curve("t", 0.1, false, 0.99, 0.99, 0.99), 3, others)).as("finished").isEmpty();
  }

  /** Curves whose final error is 0.2 + 0.5 x (error after 2 epochs - 0.2): predictable, with a little noise. */
  static List<Curve> handMade() {
    List<Curve> curves = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      double e2 = 0.25 + 0.04 * i;
      double last = 0.2 + 0.5 * (e2 - 0.2) + ((i * 7) % 5 - 2) * 0.002;
      curves.add(curve("c" + i, 0.01 * (i + 1), true, e2 + 0.2, e2, (e2 + last) / 2, last));
    }
    return curves;
  }

  @Test
  void thePredictedRuleStopsAHopelessTrialAndNeverTheEventualBest() {
    List<Curve> all = handMade();
    PredictedRule rule = new PredictedRule(2, 10, 2.0);
    Curve best = all.get(0); // the lowest final error of the set
    List<Curve> others = all.subList(1, all.size());
    for (int e = 1; e < best.epochs(); e++) {
      assertThat(rule.stop(best.prefix(e), 4, others)).as("the best after %d epochs", e).isEmpty();
    }
    Curve hopeless = curve("h", 0.05, false, 0.95, 0.9);
    assertThat(rule.stop(hopeless, 4, all)).get().asString().startsWith("predicted rule: final validation error");
    assertThat(rule.stop(hopeless, 4, all.subList(0, 9))).as("fewer than 10 finished curves").isEmpty();
    PredictedRule.Prediction p = PredictedRule.predict(all, hopeless, 2, 4);
    assertThat(p.mean()).isBetween(0.45, 0.65); // 0.2 + 0.5 x 0.7 = 0.55
  }
}
