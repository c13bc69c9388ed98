package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Strategy;
import io.hps.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomSearchTest extends StrategyContract {
  @Override
  SearchStrategy create(SearchSpace space, long seed) {
    return Strategies.create(Strategy.RANDOM, space, seed);
  }

  @Test
  void differentSeedsDifferAndPointsCoverTheRange() throws Exception {
    List<Proposal> a = create(space(), 1).propose(0, List.of(), 400);
    assertThat(a).isNotEqualTo(create(space(), 2).propose(0, List.of(), 400));
    assertThat(new HashSet<>(a)).hasSize(400);
    assertThat(a).allSatisfy(p -> assertThat(p.budget()).isNull());
    double belowGeometricMiddle = a.stream().map(Proposal::params).filter(p -> p.getDouble("lr") < Math.sqrt(0.01 * 0.316)).count() / 400.0;
    assertThat(belowGeometricMiddle).isBetween(0.4, 0.6); // log-uniform
    assertThat(a.stream().map(Proposal::params).filter(p -> p.getString("opt").equals("sgd")).count() / 400.0).isBetween(0.4, 0.6);
    assertThat(create(space(), 1).limit()).isEqualTo(Long.MAX_VALUE);
  }
}
