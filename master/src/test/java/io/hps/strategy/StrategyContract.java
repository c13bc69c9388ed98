package io.hps.strategy;

import io.hps.space.SearchSpace;

/**
 * The space and factory the grid and random tests share. What every strategy promises (determinism,
 * staying inside the space, count and total) is checked for all of them in {@link EveryStrategyContractTest}.
 */
abstract class StrategyContract {
  static SearchSpace space() throws Exception {
    return EveryStrategyContractTest.space();
  }

  abstract SearchStrategy create(SearchSpace space, long seed);
}
