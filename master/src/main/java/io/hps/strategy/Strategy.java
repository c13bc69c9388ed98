package io.hps.strategy;

import io.hps.space.SearchSpace;
import java.util.Locale;

/** The strategies a study can name in {@code --strategy} and {@code study.json}. */
public enum Strategy {
  GRID, RANDOM;

  /** Builds the strategy for a space and seed. */
  public SearchStrategy create(SearchSpace space, long seed) {
    switch (this) {
      case GRID:
        return new GridSearch(space);
      case RANDOM:
        return new RandomSearch(space, seed);
      default:
        throw new AssertionError(this);
    }
  }

  /** The name used in files and on the command line. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Strategy parse(String text) {
    for (Strategy s : values()) {
      if (s.json().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown strategy '" + text + "' (grid, random)");
  }
}
