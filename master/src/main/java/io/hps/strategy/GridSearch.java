package io.hps.strategy;

import io.hps.protocol.Result;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.List;

/** Every combination of the space's grid values exactly once, in the space's stable order. */
final class GridSearch implements SearchStrategy {
  private final List<Params> grid;

  GridSearch(SearchSpace space) {
    this.grid = space.grid();
  }

  @Override
  public List<Params> propose(int proposed, List<Result> results, int count) {
    int from = Math.min(proposed, grid.size());
    return grid.subList(from, Math.min(grid.size(), from + count));
  }

  @Override
  public long limit() {
    return grid.size();
  }
}
