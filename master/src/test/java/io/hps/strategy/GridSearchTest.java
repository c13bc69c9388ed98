package io.hps.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Strategy;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridSearchTest extends StrategyContract {
  @Override
  SearchStrategy create(SearchSpace space, long seed) {
    return Strategies.create(Strategy.GRID, space, seed);
  }

  @Test
  void everyCombinationExactlyOnceThenNothing() throws Exception {
    SearchStrategy grid = create(space(), 0);
    int size = 3 * 4 * (3 + 1); // nf x lr x (sgd with 3 momenta + adam)
    assertThat(grid.limit()).isEqualTo(size);
    List<Params> all = grid.propose(0, List.of(), 1000).stream().map(Proposal::params).toList();
    assertThat(all).hasSize(size);
    assertThat(new HashSet<>(all)).hasSize(size);
    assertThat(grid.propose(size, List.of(), 5)).isEmpty();
    assertThat(all.get(0).toString()).isEqualTo("model=\"synthetic\" epochs=9 nf=10 lr=0.01 opt=\"sgd\" m=0");
    assertThat(all.get(3).toString()).isEqualTo("model=\"synthetic\" epochs=9 nf=10 lr=0.01 opt=\"adam\"");
    // hps status --setting says which point of the grid a setting is
    assertThat(grid.propose(3, List.of(), 1).get(0).why()).isEqualTo("grid search: grid point 4 of " + size
        + " in the grid's order (index 3)");
  }
}
