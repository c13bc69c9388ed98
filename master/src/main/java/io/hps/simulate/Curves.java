package io.hps.simulate;

import io.hps.space.Params;
import io.hps.space.SearchSpace;

/**
 * What a replay answers settings with: a learning curve for any point of a space. {@link Recorded} answers
 * with the nearest recorded curve; {@link SurrogateCurves} asks a program (a surrogate model).
 */
public interface Curves {
  /** The space the curves cover. */
  SearchSpace space();

  /** The full budget: the most epochs a curve has. */
  int maxEpochs();

  /** The curve of {@code params}: validation errors and cumulative seconds per epoch. */
  Recorded.Run answer(Params params);

  /** Whether {@link #answer} may be called from several threads at once (replays of several seeds in parallel). */
  default boolean answersConcurrently() {
    return false;
  }
}
