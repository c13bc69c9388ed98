package io.hps.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class ReshuffleTest {
  @Test
  void bestSoFarWorkedOutByHand() {
    double[] errors = {0.3, 0.1, 0.2, 0.05};
    assertThat(Reshuffle.bestSoFar(errors, new int[] {0, 2, 1, 3})).containsExactly(0.3, 0.2, 0.1, 0.05);
    assertThat(Reshuffle.bestSoFar(errors, new int[] {3, 0, 1, 2})).containsExactly(0.05, 0.05, 0.05, 0.05);
  }

  @Test
  void quantilesInterpolateLikeRType7() {
    double[] v = {1, 2, 3, 4};
    assertThat(Reshuffle.quantile(v, 0.25)).isEqualTo(1.75);
    assertThat(Reshuffle.quantile(v, 0.5)).isEqualTo(2.5);
    assertThat(Reshuffle.quantile(v, 0.75)).isEqualTo(3.25);
    assertThat(Reshuffle.quantile(new double[] {7}, 0.5)).isEqualTo(7);
  }

  @Test
  void threeResultsGiveTheExpectedDistribution() {
    // After one evaluation the best is each error with probability 1/3: median 0.2, quartiles 0.1 and 0.3.
    // After two, the best is 0.1 unless 0.1 comes last (1/3): 0.2 with probability 1/3, so median 0.1.
    // After three, always 0.1.
    Reshuffle r = Reshuffle.of(new double[] {0.3, 0.1, 0.2}, 6000, 1);
    assertThat(r.median()).containsExactly(0.2, 0.1, 0.1);
    assertThat(r.lowerQuartile()[0]).isEqualTo(0.1);
    assertThat(r.upperQuartile()[0]).isEqualTo(0.3);
    assertThat(r.upperQuartile()[1]).isEqualTo(0.2);
    long firstIsBest = java.util.Arrays.stream(r.curves()).filter(c -> c[0] == 0.1).count();
    assertThat(firstIsBest / 6000.0).isCloseTo(1 / 3.0, offset(0.03));
    assertThat(Reshuffle.of(new double[] {0.3, 0.1, 0.2}, 50, 9).curves())
        .isDeepEqualTo(Reshuffle.of(new double[] {0.3, 0.1, 0.2}, 50, 9).curves());
  }
}
