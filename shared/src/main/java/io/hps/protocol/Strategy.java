package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The search strategies a study can name in {@code --strategy} and {@code study.json}. */
public enum Strategy {
  GRID, RANDOM, SUCCESSIVE_HALVING, HYPERBAND, TPE, ASHA, BOHB, NSGA2;

  /** Whether the strategy spends a budget in rungs (successive halving, Hyperband, ASHA, BOHB). */
  public boolean halving() {
    return this == SUCCESSIVE_HALVING || this == HYPERBAND || this == ASHA || this == BOHB;
  }

  /** The name used in files and on the command line. */
  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static Strategy parse(String text) {
    return EnumText.parse(Strategy.class, text, "strategy");
  }
}
