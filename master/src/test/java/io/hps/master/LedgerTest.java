package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Batch;
import io.hps.protocol.Epoch;
import io.hps.protocol.IdRanges;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ledger's views, kept up to date as results come in, say what computing them afresh says. */
class LedgerTest {
  private static Setting setting(String id, int point) {
    return new Setting(id, point, 0, 0, Instant.EPOCH, new Params(Map.of("x", 1.0)));
  }

  private static Result result(Setting s, int attempt) {
    return Result.of(attempt == 1 ? s : s.retry("w0", "lease expired", Instant.EPOCH), Status.COMPLETE, null, "w", Instant.EPOCH,
        Instant.EPOCH, List.of(new Epoch(1, 1, 1, 0.5, 1)), Map.of());
  }

  @Test
  void resultsInAnyOrderGiveTheViewsAFreshComputationGives() {
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      List<Setting> settings = new ArrayList<>();
      for (int p = 0; p < 300; p++) {
        settings.add(setting(io.hps.protocol.Ids.setting(p), p));
      }
      Ledger ledger = new Ledger();
      ledger.add(new Batch(1, 0, Instant.EPOCH, 0, settings));
      List<Setting> order = new ArrayList<>(settings);
      Collections.shuffle(order, random);
      List<Result> accepted = new ArrayList<>();
      for (Setting s : order.subList(0, 100 + random.nextInt(150))) {
        Result r = result(s, random.nextInt(10) == 0 ? 2 : 1);
        ledger.accept(r);
        accepted.add(r);
        List<Result> byPoint = accepted.stream().sorted(Ledger.BY_POINT_RESULT).toList();
        assertThat(ledger.seen()).containsExactlyElementsOf(byPoint);
        assertThat(ledger.seenRanges()).isEqualTo(IdRanges.encode(byPoint.stream().map(Result::id).toList()));
      }
      assertThat(ledger.results()).containsExactlyElementsOf(accepted);
      assertThat(ledger.retried().keySet()).containsExactlyElementsOf(accepted.stream().filter(r -> r.attempt() > 1)
          .map(Result::id).sorted().toList());
      List<Setting> inFlight = settings.stream().filter(s -> !ledger.isAccepted(s.id())).toList();
      assertThat(ledger.inFlight()).containsExactlyElementsOf(inFlight);
      assertThat(ledger.pointsInFlight()).isEqualTo(inFlight.size());
      assertThat(ledger.allAccepted()).isFalse();
      assertThat(ledger.acceptedSince(accepted.size() - 3)).containsExactlyElementsOf(accepted.subList(
          accepted.size() - 3, accepted.size()));
    }
  }

  @Test
  void idsNotOfTheMastersFormOrNotAscendingWithPointsAreEncodedInFull() {
    Ledger ledger = new Ledger();
    Setting a = setting("s000005", 0);
    Setting b = setting("s000001", 1); // numbered against the points' order (another master's numbering)
    Setting c = setting("custom", 2);
    ledger.add(new Batch(1, 0, Instant.EPOCH, 0, List.of(a, b, c)));
    ledger.accept(result(b, 1));
    ledger.accept(result(a, 1));
    assertThat(ledger.seenRanges()).isEqualTo("s000005,s000001");
    ledger.accept(result(c, 1));
    assertThat(ledger.seenRanges()).isEqualTo("s000005,s000001,custom");
    assertThat(ledger.allAccepted()).isTrue();
  }
}
