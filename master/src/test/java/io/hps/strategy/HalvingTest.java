package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.Lineage;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HalvingTest {
  @Test
  void successiveHalvingKeepsAThirdOfEachRungAndTriplesItsEpochs() {
    Halving sh = Halving.successive(9, 1, 9, 3);
    assertThat(sh.brackets()).singleElement().satisfies(b -> {
      assertThat(b.settings()).containsExactly(9, 3, 1);
      assertThat(b.epochs()).containsExactly(1, 3, 9);
    });
    assertThat(sh.points()).isEqualTo(13);
    assertThat(sh.epochsRetrained()).isEqualTo(9 + 9 + 9);
    assertThat(sh.slot(9)).isEqualTo(new Halving.Slot(0, 1, 0));
    assertThat(sh.slot(12)).isEqualTo(new Halving.Slot(0, 2, 0));
  }

  @Test
  void hyperbandRunsBracketsFromManyCheapSettingsToFewFullOnes() {
    Halving hb = Halving.hyperband(1, 1, 9, 3);
    assertThat(hb.brackets()).hasSize(3);
    assertThat(hb.brackets().get(0).settings()).containsExactly(9, 3, 1);
    assertThat(hb.brackets().get(1).settings()).containsExactly(5, 1);
    assertThat(hb.brackets().get(1).epochs()).containsExactly(3, 9);
    assertThat(hb.brackets().get(2).settings()).containsExactly(3);
    assertThat(hb.brackets().get(2).epochs()).containsExactly(9);
    assertThat(hb.points()).isEqualTo(22);
    assertThat(Halving.hyperband(30, 1, 9, 3).brackets()).hasSize(6); // two iterations draw >= 30 settings
  }

  static SearchSpace space() throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree("{\"parameters\":{\"model\":\"synthetic\",\"epochs\":9,"
        + "\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":1}}}"), "t");
  }

  static Result result(int point, Proposal proposal, double error) {
    Setting s = new Setting(1, Ids.setting(point), point, 0, 0, 1, Instant.EPOCH, proposal.params(), List.of(),
        proposal.budget(), proposal.lineage());
    return Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
        List.of(new Epoch(1, 1, 1, error, 1)), Map.of());
  }

  @Test
  void theBestOfARungArePromotedWithTheirLineageOnceTheRungIsComplete() throws Exception {
    StudyConfig config = StudyConfig.builder(space().toJson(), Strategy.SUCCESSIVE_HALVING).seed(7).trials(9)
        .batch(9, io.hps.protocol.Mode.SYNC).build();
    SearchStrategy sh = Strategies.create(Strategy.SUCCESSIVE_HALVING, space(), config);
    assertThat(sh.total(9)).isEqualTo(13);
    List<Proposal> first = sh.propose(0, List.of(), 20);
    assertThat(first).hasSize(9).allSatisfy(p -> {
      assertThat(p.budget()).isEqualTo(1);
      assertThat(p.lineage()).isEqualTo(new Lineage(0, null, null));
      assertThat(p.params().values()).as("bookkeeping stays out of the parameters").containsEntry("epochs", 9L)
          .doesNotContainKeys("rung", "parent", "bracket");
    });
    List<Result> results = new ArrayList<>();
    double[] errors = {0.5, 0.2, 0.9, 0.1, 0.6, 0.3, 0.8, 0.7, 0.4};
    for (int i = 0; i < 8; i++) {
      results.add(result(i, first.get(i), errors[i]));
    }
    assertThat(sh.propose(9, results, 4)).as("rung 0 is not complete").isEmpty();
    results.add(result(8, first.get(8), errors[8]));
    List<Proposal> second = sh.propose(9, results, 4);
    assertThat(second).extracting(p -> p.lineage().parent()).containsExactly("s000003", "s000001", "s000005");
    assertThat(second).allSatisfy(p -> {
      assertThat(p.budget()).isEqualTo(3);
      assertThat(p.lineage().rung()).isEqualTo(1);
    });
    assertThat(second.get(0).params()).isEqualTo(first.get(3).params());
  }

  @Test
  void bohbDrawsFirstRungConfigurationsFromTheModelOnceABudgetHasEnoughResults() throws Exception {
    StudyConfig config = StudyConfig.builder(space().toJson(), Strategy.BOHB).seed(7).trials(30)
        .batch(9, io.hps.protocol.Mode.SYNC).build();
    SearchStrategy bohb = Strategies.create(Strategy.BOHB, space(), config);
    SearchStrategy hyperband = Strategies.create(Strategy.HYPERBAND, space(), config.toBuilder().build());
    // Before any result both draw the same random configurations.
    assertThat(bohb.propose(0, List.of(), 9)).isEqualTo(hyperband.propose(0, List.of(), 9));
    // With 9 results on one budget (lr near 0.1 is best), BOHB's next first-rung points come from the
    // model and sit nearer the good learning rate than Hyperband's random ones.
    List<Proposal> first = bohb.propose(0, List.of(), 9);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      double lr = first.get(i).params().getDouble("lr");
      results.add(result(i, first.get(i), Math.min(1, Math.abs(Math.log10(lr) + 1) / 2 + 0.05)));
    }
    List<Proposal> modelled = bohb.propose(13, results, 9).stream().filter(p -> p.lineage().rung() == 0).toList();
    List<Proposal> random = hyperband.propose(13, results, 9).stream().filter(p -> p.lineage().rung() == 0).toList();
    assertThat(modelled).isNotEmpty().hasSameSizeAs(random).isNotEqualTo(random);
    double modelledDistance = modelled.stream().mapToDouble(p -> Math.abs(Math.log10(p.params().getDouble("lr")) + 1))
        .average().orElseThrow();
    double randomDistance = random.stream().mapToDouble(p -> Math.abs(Math.log10(p.params().getDouble("lr")) + 1))
        .average().orElseThrow();
    assertThat(modelledDistance).isLessThan(randomDistance);
  }

  /**
   * Issue 30: Hyperband and BOHB given a ledger's growing results keep their results by point and budget and their
   * complete rungs sorted between proposals; every proposal must equal a fresh instance's from the whole list,
   * through results in any order, settings in flight, batches and failures.
   */
  @Test
  void proposalsFromGrowingResultsAreThoseOfTheWholeList() throws Exception {
    for (Strategy strategy : List.of(Strategy.HYPERBAND, Strategy.BOHB, Strategy.SUCCESSIVE_HALVING)) {
      StudyConfig config = StudyConfig.builder(space().toJson(), strategy).seed(7).trials(150)
          .batch(4, io.hps.protocol.Mode.ASYNC).build();
      SearchStrategy kept = Strategies.create(strategy, space(), config);
      GrowingList results = new GrowingList();
      java.util.Random random = new java.util.Random(8);
      List<Setting> inFlight = new ArrayList<>();
      int point = 0;
      int compared = 0;
      while (true) {
        int count = 1 + random.nextInt(3);
        if (random.nextInt(3) == 0) {
          kept.propose(point, results, List.copyOf(inFlight), 1); // a look ahead whose proposal is dropped
        }
        List<Proposal> got = kept.propose(point, results, List.copyOf(inFlight), count);
        assertThat(got).as("%s at point %d", strategy, point).isEqualTo(Strategies.create(strategy, space(), config)
            .propose(point, new ArrayList<>(results), List.copyOf(inFlight), count));
        compared += got.size();
        for (Proposal p : got) {
          inFlight.add(new Setting(1, Ids.setting(point), point, 0, 0, 1, Instant.EPOCH, p.params(), List.of(),
              p.budget(), p.lineage()));
          point++;
        }
        if (inFlight.isEmpty()) {
          if (got.isEmpty()) {
            break;
          }
          continue;
        }
        java.util.Collections.shuffle(inFlight, random);
        for (int i = 1 + random.nextInt(Math.min(inFlight.size(), 4)); i > 0; i--) {
          Setting done = inFlight.remove(0);
          results.accept(random.nextInt(15) == 0
              ? Result.of(done, Status.FAILED, "made to fail", "w", Instant.EPOCH, Instant.EPOCH, List.of(), Map.of())
              : Result.of(done, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
                  List.of(new Epoch(1, 1, 1, random.nextInt(8) / 10.0, 1)), Map.of()));
        }
      }
      assertThat(compared).as(strategy.json()).isGreaterThan(150);
    }
  }
}
