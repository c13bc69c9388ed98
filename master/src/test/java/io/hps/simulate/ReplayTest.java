package io.hps.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.stopping.Stopping;
import io.hps.strategy.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  /** 30 curves in Baker et al.'s CSV format: accuracy rises to 1 - floor, the floor set by lr. */
  static Path bakerCsv(Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("lr,momentum");
    for (int e = 1; e <= 9; e++) {
      csv.append(",acc_").append(e);
    }
    csv.append('\n');
    for (int i = 0; i < 30; i++) {
      double lr = Math.pow(10, -3 + 2.5 * i / 29.0);
      double floor = 0.02 + 0.3 * Math.abs(Math.log10(lr) + 1.5);
      csv.append(lr).append(',').append(0.1 * (i % 10));
      for (int e = 1; e <= 9; e++) {
        csv.append(',').append(1 - (floor + 0.6 * Math.pow(0.6, e)));
      }
      csv.append('\n');
    }
    return Files.writeString(dir.resolve("curves.csv"), csv);
  }

  @Test
  void bakerCsvCurvesReadAsErrorsWithTheirHyperparameters(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    assertThat(rec.runs()).hasSize(30);
    assertThat(rec.maxEpochs()).isEqualTo(9);
    Recorded.Run first = rec.runs().get(0);
    assertThat(first.params().getDouble("lr")).isEqualTo(0.001);
    assertThat(first.valErrors()[8]).isCloseTo(0.02 + 0.45 + 0.6 * Math.pow(0.6, 9), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(rec.answer(first.params())).isSameAs(first); // an exact match answers with its own curve
  }

  @Test
  void aReplayIsDeterministicForASeedAndHalvingSpendsFewerEpochs(@TempDir Path dir) throws Exception {
    Recorded rec = Recorded.read(bakerCsv(dir));
    Replay once = Replay.run(rec, Strategy.RANDOM, Stopping.MEDIAN, 5, 30, null, null);
    Replay again = Replay.run(rec, Strategy.RANDOM, Stopping.MEDIAN, 5, 30, null, null);
    assertThat(again.epochs()).isEqualTo(once.epochs());
    assertThat(again.best()).isEqualTo(once.best());
    Replay random = Replay.run(rec, Strategy.RANDOM, null, 5, 30, null, null);
    assertThat(random.epochs()).isEqualTo(30 * 9);
    assertThat(once.epochs()).isLessThan(random.epochs());
    Replay halving = Replay.run(rec, Strategy.SUCCESSIVE_HALVING, null, 5, 27, null, null);
    assertThat(halving.epochs()).isEqualTo(27 + 9 * 3 + 3 * 9); // rungs of 27, 9 and 3 settings
    assertThat(halving.best()).isLessThan(0.1);
    assertThat(random.trace()).isNotEmpty();
    assertThat(random.bestAfter(random.epochs())).isEqualTo(random.best());
  }
}
