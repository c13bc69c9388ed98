package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.Mode;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AshaSearchTest {
  static SearchStrategy asha(int trials) throws Exception {
    StudyConfig config = StudyConfig.builder(HalvingTest.space().toJson(), Strategy.ASHA).seed(7).trials(trials)
        .batch(4, Mode.ASYNC).build();
    return Strategies.create(Strategy.ASHA, HalvingTest.space(), config);
  }

  static Setting setting(int point, Proposal p) {
    return new Setting(1, Ids.setting(point), point, 0, point, 1, Instant.EPOCH, p.params(), List.of(), p.budget(),
        p.lineage());
  }

  static Result result(Setting s, double error) {
    return Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
        List.of(new Epoch(1, error, error, error, 1)), Map.of());
  }

  @Test
  void promotesAsSoonAsASettingIsInTheTopThirdOfItsRungWithoutWaitingForTheRung() throws Exception {
    SearchStrategy s = asha(9);
    // Three first-rung settings are proposed; two finish, one is still training.
    List<Proposal> first = s.propose(0, List.of(), 3);
    assertThat(first).allSatisfy(p -> {
      assertThat(p.budget()).isEqualTo(1);
      assertThat(p.lineage().rung()).isZero();
    });
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      settings.add(setting(i, first.get(i)));
    }
    List<Result> results = new ArrayList<>(List.of(result(settings.get(0), 0.5), result(settings.get(1), 0.2)));
    // 2 finished at rung 0: the top third is empty (2 / 3 = 0), so a new configuration comes.
    Proposal fourth = s.propose(3, results, List.of(settings.get(2)), 1).get(0);
    assertThat(fourth.lineage().rung()).isZero();
    settings.add(setting(3, fourth));
    results.add(result(settings.get(2), 0.9));
    // 3 finished at rung 0 with one still training: the best is promoted at once, to 3 epochs.
    Proposal promoted = s.propose(4, results, List.of(settings.get(3)), 1).get(0);
    assertThat(promoted.lineage()).isEqualTo(new io.hps.protocol.Lineage(1, null, "s000001"));
    assertThat(promoted.budget()).isEqualTo(3);
    assertThat(promoted.params()).isEqualTo(first.get(1).params());
    // Once it is in flight, it is not promoted again.
    Setting inFlight = setting(4, promoted);
    assertThat(s.propose(5, results, List.of(settings.get(3), inFlight), 1).get(0).lineage().rung()).isZero();
  }

  @Test
  void theStudyEndsWhenTheFirstRungIsDrawnAndNoPromotionIsLeft() throws Exception {
    SearchStrategy s = asha(9);
    List<Result> results = new ArrayList<>();
    int point = 0;
    while (true) {
      List<Proposal> next = s.propose(point, results, 1);
      if (next.isEmpty()) {
        break;
      }
      Setting st = setting(point, next.get(0));
      double lr = st.params().getDouble("lr");
      results.add(result(st, Math.min(1, Math.abs(Math.log10(lr) + 1) / 3 + 1.0 / (1 + st.epochs()))));
      point++;
    }
    assertThat(results.stream().filter(r -> r.lineage().rung() == 0)).hasSize(9);
    assertThat(results.stream().filter(r -> r.lineage().rung() == 1)).hasSize(3);
    assertThat(results.stream().filter(r -> r.lineage().rung() == 2)).hasSize(1);
    assertThat((long) results.size()).isLessThanOrEqualTo(s.total(9));
    assertThat(results).allSatisfy(r -> assertThat(r.budget()).isEqualTo(new int[] {1, 3, 9}[r.lineage().rung()]));
  }

  /**
   * One objective: each promotion is found in one pass, without sorting a rung; it must be the one a sort by
   * Goals.best gives (ties by point, failed results last), on a long random study with many equal values.
   */
  @Test
  void aPromotionFoundWithoutSortingIsTheOneSortingGives() throws Exception {
    io.hps.goals.Goals goals = io.hps.goals.Goals.single();
    AshaSearch s = new AshaSearch(HalvingTest.space(), 7, 400, 1, 9, 3, goals);
    java.util.Random random = new java.util.Random(13);
    List<Result> results = new ArrayList<>();
    int promotions = 0;
    for (int point = 0; ; point++) {
      List<Proposal> next = s.propose(point, results, List.of(), 1);
      if (next.isEmpty()) {
        break;
      }
      // the reference: every rung sorted by Goals.best, the first unpromoted result with a value in its top third
      java.util.Set<String> promoted = new java.util.HashSet<>();
      results.forEach(r -> {
        if (r.lineage() != null && r.lineage().parent() != null) {
          promoted.add(r.lineage().parent());
        }
      });
      String expected = null;
      for (int k = 1; k >= 0 && expected == null; k--) {
        int rung = k;
        List<Result> sorted = goals.best(results.stream().filter(r -> (r.lineage() == null ? 0 : r.lineage().rung())
            == rung).toList(), results.size());
        for (int i = 0; i < sorted.size() / 3 && expected == null; i++) {
          if (goals.values(sorted.get(i)).isPresent() && !promoted.contains(sorted.get(i).id())) {
            expected = sorted.get(i).id();
            assertThat(next.get(0).why()).contains("ranked " + (i + 1) + " of the " + sorted.size() + " ");
          }
        }
      }
      Proposal p = next.get(0);
      assertThat(p.lineage().parent()).as("proposal %d", point).isEqualTo(expected);
      promotions += expected == null ? 0 : 1;
      Setting setting = setting(point, p);
      results.add(random.nextInt(10) == 0
          ? Result.of(setting, Status.FAILED, "made to fail", "w", Instant.EPOCH, Instant.EPOCH, List.of(), Map.of())
          : result(setting, random.nextInt(6) / 10.0)); // six values: ties everywhere
    }
    assertThat(promotions).as("promotions checked").isGreaterThan(100);
  }

  /**
   * Issue 30: given a ledger's growing results, ASHA takes in only the results accepted since its last proposal;
   * every proposal (promotions, their rank, first-rung points) must be the one a fresh instance works out from the
   * whole list, through results that arrive out of order, settings in flight, batches of several, failures, ties,
   * a constraint, a result accepted again and another ledger.
   */
  @Test
  void proposalsFromGrowingResultsAreThoseOfTheWholeList() throws Exception {
    for (io.hps.goals.Goals goals : List.of(io.hps.goals.Goals.single(), new io.hps.goals.Goals(
        List.of(io.hps.protocol.Objective.DEFAULT), List.of(io.hps.protocol.Constraint.parse("valError>=0.1"))))) {
      AshaSearch incremental = new AshaSearch(HalvingTest.space(), 7, 300, 1, 9, 3, goals);
      java.util.Random random = new java.util.Random(5);
      GrowingList results = new GrowingList();
      List<Setting> inFlight = new ArrayList<>();
      int point = 0;
      int compared = 0;
      while (true) {
        int count = 1 + random.nextInt(3);
        if (random.nextInt(3) == 0) {
          incremental.propose(point, results, List.copyOf(inFlight), 1); // a look ahead whose proposal is dropped
        }
        List<Proposal> got = incremental.propose(point, results, List.copyOf(inFlight), count);
        List<Proposal> expected = new AshaSearch(HalvingTest.space(), 7, 300, 1, 9, 3, goals)
            .propose(point, new ArrayList<>(results), List.copyOf(inFlight), count);
        assertThat(got).as("proposal at point %d", point).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(expected);
        compared += got.size();
        for (Proposal p : got) {
          inFlight.add(setting(point++, p));
        }
        if (inFlight.isEmpty()) {
          break;
        }
        // some of those in flight finish, in any order
        java.util.Collections.shuffle(inFlight, random);
        int finishing = 1 + random.nextInt(Math.min(inFlight.size(), 4));
        for (int i = 0; i < finishing; i++) {
          Setting done = inFlight.remove(0);
          results.accept(random.nextInt(12) == 0
              ? Result.of(done, Status.FAILED, "made to fail", "w", Instant.EPOCH, Instant.EPOCH, List.of(), Map.of())
              : result(done, random.nextInt(6) / 10.0));
        }
        if (point == 150) { // accepted again with another value: the incremental state is built anew
          Result first = results.acceptedAfter(0).get(0);
          results.accept(result(new Setting(1, first.id(), first.point(), 0, first.point(), 1, Instant.EPOCH,
              first.params(), List.of(), first.budget(), first.lineage()), 0.05));
        }
      }
      assertThat(compared).isGreaterThan(300);
      // another ledger's results, then this one's again: each from its own results
      GrowingList other = new GrowingList();
      assertThat(incremental.propose(0, other, List.of(), 1)).usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(new AshaSearch(HalvingTest.space(), 7, 300, 1, 9, 3, goals).propose(0, List.of(), List.of(), 1));
    }
  }
}
