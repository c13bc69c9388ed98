package io.hps.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Strategy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's claim, replayed on the real CNN curves shipped in test-data/recorded/scenario5-cnn. */
class ShippedCurvesTest {
  static final Path SHIPPED = Path.of(System.getProperty("hps.root", ".."), "test-data", "recorded", "scenario5-cnn");

  @Test
  void successiveHalvingFindsAsGoodASettingForAThirdOfTheEpochs() throws Exception {
    Recorded recorded = Recorded.read(SHIPPED);
    assertThat(recorded.runs()).hasSize(50);
    assertThat(recorded.maxEpochs()).isEqualTo(10);
    ReplayComparison random = ReplayComparison.of(recorded, Strategy.RANDOM, null, 50, Replay.Setup.of(50));
    ReplayComparison halving = ReplayComparison.of(recorded, Strategy.SUCCESSIVE_HALVING, null, 50, Replay.Setup.of(50));
    assertThat(random.meanEpochs()).isEqualTo(500.0);
    assertThat(random.meanEpochs() / halving.meanEpochs()).isGreaterThanOrEqualTo(3.0);
    assertThat(halving.meanBest() - random.meanBest()).isLessThanOrEqualTo(0.002);
  }
}
