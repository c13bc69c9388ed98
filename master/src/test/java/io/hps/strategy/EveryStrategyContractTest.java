package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Ids;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every strategy promises, the halving ones included, driven as the master drives them: propose,
 * train (a made-up objective), hand the results back, until the strategy has nothing more.
 */
class EveryStrategyContractTest {
  static final String SPACE = "{\"parameters\":{\"model\":\"synthetic\",\"epochs\":9,"
      + "\"nf\":{\"type\":\"int\",\"low\":10,\"high\":100,\"grid\":[10,50,100]},"
      + "\"lr\":{\"type\":\"loguniform\",\"low\":0.01,\"high\":0.316,\"steps\":4},"
      + "\"opt\":[\"sgd\",\"adam\"],"
      + "\"m\":{\"type\":\"uniform\",\"low\":0,\"high\":1,\"grid\":[0,0.5,0.9],\"when\":{\"opt\":\"sgd\"}}}}";

  static SearchSpace space() throws Exception {
    return SearchSpace.parse(Json.MAPPER.readTree(SPACE), "contract");
  }

  static StudyConfig config(Strategy strategy, int trials, long seed) throws Exception {
    return StudyConfig.builder(space().toJson(), strategy).name("c").created(Instant.EPOCH).seed(seed).trials(trials)
        .build();
  }

  /** Runs a strategy to its end in batches of {@code batch}; returns every point proposed, in order. */
  static List<Params> drive(Strategy strategy, int trials, long seed, int batch) throws Exception {
    SearchStrategy s = Strategies.create(strategy, space(), config(strategy, trials, seed));
    long total = s.total(trials);
    List<Params> proposed = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    for (int round = 0; round < 10_000 && proposed.size() < total; round++) {
      int count = (int) Math.min(batch, total - proposed.size());
      List<Proposal> points = s.propose(proposed.size(), List.copyOf(results), count);
      assertThat(points.size()).as("at most count points").isLessThanOrEqualTo(count);
      if (points.isEmpty()) {
        break;
      }
      for (Proposal proposal : points) {
        Params p = proposal.params();
        int point = proposed.size();
        proposed.add(p);
        Setting setting = new Setting(Ids.setting(point), point, 0, round, Instant.EPOCH, p)
            .planned(proposal.budget(), proposal.lineage());
        double error = 0.05 + Math.abs(Math.log10(p.getDouble("lr")) + 1.2) / 4 + 1.0 / (1 + setting.epochs());
        results.add(Result.of(setting, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
            List.of(new Epoch(1, error, error, Math.min(1, error), 1)), Map.of()));
      }
    }
    return proposed;
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void proposesExactlyItsTotalAndThenNothing(Strategy strategy) throws Exception {
    int trials = strategy == Strategy.GRID ? 1000 : 9; // a grid of 48 points proposes them all, and stops
    SearchStrategy s = Strategies.create(strategy, space(), config(strategy, trials, 5));
    List<Params> all = drive(strategy, trials, 5, 4);
    assertThat((long) all.size()).isEqualTo(s.total(trials));
    if (s.limit() < Long.MAX_VALUE) { // a finite strategy has nothing past its limit; random search is bounded by trials
      assertThat(s.propose((int) s.limit(), List.of(), 4)).as("nothing past the limit").isEmpty();
    }
    if (strategy == Strategy.GRID) {
      assertThat(all).hasSize(3 * 4 * (3 + 1)).doesNotHaveDuplicates(); // the whole grid, each point once
    }
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void sameSeedAndResultsSameProposalsWhateverTheBatching(Strategy strategy) throws Exception {
    if (strategy == Strategy.ASHA || strategy == Strategy.TPE || strategy == Strategy.BOHB) {
      // Their proposals follow the results seen when they propose (ASHA promotes at once, TPE and BOHB model
      // them): batching changes what they see, so only the same run twice must agree.
      assertThat(drive(strategy, 30, 7, 5)).isEqualTo(drive(strategy, 30, 7, 5));
      return;
    }
    assertThat(drive(strategy, 9, 7, 1)).isEqualTo(drive(strategy, 9, 7, 5));
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void proposalsStayInsideTheSpace(Strategy strategy) throws Exception {
    for (Params p : drive(strategy, 30, 3, 6)) {
      assertThat(p.getInt("nf")).isBetween(10, 100);
      assertThat(p.getDouble("lr")).isBetween(0.01, 0.316);
      assertThat(p.getString("opt")).isIn("sgd", "adam");
      assertThat(p.has("m")).isEqualTo(p.getString("opt").equals("sgd"));
      if (p.has("m")) {
        assertThat(p.getDouble("m")).isBetween(0.0, 1.0);
      }
      assertThat(p.getInt("epochs")).isBetween(1, 9);
    }
  }
}
