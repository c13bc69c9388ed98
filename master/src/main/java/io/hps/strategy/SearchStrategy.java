package io.hps.strategy;

import io.hps.protocol.Result;
import java.util.List;

/** Proposes points of the search space. Same seed, space and history: same proposals. */
public interface SearchStrategy {
  /**
   * Up to {@code count} new points following the {@code proposed} points already proposed, given the
   * results so far; fewer, or none, when the strategy has nothing more to try.
   */
  List<Proposal> propose(int proposed, List<Result> results, int count);

  /**
   * The same, knowing the settings {@code inFlight} (proposed, without a result yet), so that a strategy
   * that models results does not propose near-duplicates of what is still training. By default they are
   * ignored.
   */
  default List<Proposal> propose(int proposed, List<Result> results, List<io.hps.protocol.Setting> inFlight,
      int count) {
    return propose(proposed, results, count);
  }

  /**
   * Whether a later proposal may continue {@code proposal} with a larger budget (a halving rung below the
   * last): only then is its trained state worth saving as a checkpoint.
   */
  default boolean mayContinue(Proposal proposal) {
    return false;
  }

  /**
   * The ids of finished settings that a later proposal may still continue (promote), given what was
   * proposed and finished: the checkpoints of all others can go.
   */
  default java.util.Set<String> promotable(int proposed, List<Result> results, List<io.hps.protocol.Setting> inFlight) {
    return java.util.Set.of();
  }

  /** How many points the strategy can propose in all, when that is finite (a grid). */
  default long limit() {
    return Long.MAX_VALUE;
  }

  /** How many points a study with {@code trials} proposes in all. */
  default long total(int trials) {
    return Math.min(trials, limit());
  }
}
