package io.hps.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {
  @Test
  void secondsKeepTwoSignificantDigitsBelowOneSecondAndOneDecimalAbove() {
    assertThat(Numbers.seconds(36.21)).isEqualTo("36.2");
    assertThat(Numbers.seconds(1.0)).isEqualTo("1.0");
    assertThat(Numbers.seconds(0.3649)).isEqualTo("0.36");
    assertThat(Numbers.seconds(0.0342)).isEqualTo("0.034"); // scenario 4's NF=1 epochs: not "0.0"
    assertThat(Numbers.seconds(0.5)).isEqualTo("0.5");
    assertThat(Numbers.seconds(0)).isEqualTo("0.0");
  }

  @Test
  void shownKeepsFourSignificantDigits() {
    assertThat(Numbers.shown(0.18800)).isEqualTo("0.188");
    assertThat(Numbers.shown(1.42e9)).isEqualTo("1.42e9");
  }
}
