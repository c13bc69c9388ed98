package io.hps.strategy;

import io.hps.protocol.Result;
import io.hps.space.SearchSpace;
import java.util.List;

/** Every combination of the space's grid values exactly once, in the space's stable order. */
final class GridSearch implements SearchStrategy {
  private final SearchSpace space;
  private final long size;

  GridSearch(SearchSpace space) {
    this.space = space;
    this.size = space.gridSize();
  }

  /** Points are built when proposed ({@link SearchSpace#gridPoint}), so a large grid costs nothing up front. */
  @Override
  public List<Proposal> propose(int proposed, List<Result> results, int count) {
    List<Proposal> out = new java.util.ArrayList<>();
    for (long k = proposed; k < size && k < (long) proposed + count; k++) {
      out.add(Proposal.of(space.gridPoint(k), "grid search: grid point " + (k + 1) + " of " + size + " in the grid's order (index "
          + k + ")"));
    }
    return out;
  }

  @Override
  public long limit() {
    return size;
  }
}
