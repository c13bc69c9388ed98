package io.hps.strategy;

import io.hps.protocol.Result;
import java.util.List;

/**
 * Results that only grow, as a master's ledger holds them (the list a strategy is given may implement this): a
 * strategy may keep what it worked out from the results it saw at one proposal and, at the next, take in only
 * those accepted since, instead of reading every result again. Given any other list a strategy works from the
 * whole list; the proposals are the same either way.
 */
public interface GrowingResults {
  /** Whose results these are: the results of another ledger (or another study) never have the same one. */
  Object ledger();

  /** How many results were accepted so far: the list's size. */
  int accepted();

  /** How many accepted results were replaced by another of the same id since the ledger began (then start again). */
  int replaced();

  /** The results accepted after the first {@code n}, in the order accepted. */
  List<Result> acceptedAfter(int n);

  /** Where what a strategy keeps stands in a ledger's results: whose, after how many replacements and results. */
  record Mark(Object ledger, int replaced, int taken) {}

  /** The mark of {@code results} now; null for a list that is not a ledger's growing results. */
  static Mark mark(List<Result> results) {
    return results instanceof GrowingResults g && g.accepted() == results.size()
        ? new Mark(g.ledger(), g.replaced(), g.accepted()) : null;
  }

  /**
   * The results accepted since what was kept at {@code kept}; null when it cannot be brought up to date from them
   * (nothing kept, another ledger, a result accepted again, a plain list): then work from the whole list.
   */
  static List<Result> since(Mark kept, List<Result> results) {
    Mark now = mark(results);
    if (kept == null || now == null || kept.ledger() != now.ledger() || kept.replaced() != now.replaced()
        || kept.taken() > now.taken()) {
      return null;
    }
    return ((GrowingResults) results).acceptedAfter(kept.taken());
  }

  /**
   * What a strategy keeps of the results between proposals: at each proposal brought up to date with only the
   * results accepted since ({@link #since}), or, when it cannot be (a plain list, another ledger, a result accepted
   * again), a fresh one fed the whole list. Kept only for a ledger's growing results.
   */
  final class Memo<S> {
    private final java.util.function.Supplier<S> fresh;
    private final java.util.function.BiConsumer<S, Result> take;
    private S kept;
    private Mark mark;

    Memo(java.util.function.Supplier<S> fresh, java.util.function.BiConsumer<S, Result> take) {
      this.fresh = fresh;
      this.take = take;
    }

    /** What is kept, brought up to date with {@code results}. */
    S of(List<Result> results) {
      S state = kept;
      List<Result> news = since(state == null ? null : mark, results);
      if (news == null) {
        state = fresh.get();
        news = results;
      }
      for (Result r : news) {
        take.accept(state, r);
      }
      mark = mark(results);
      kept = mark == null ? null : state;
      return state;
    }
  }
}
