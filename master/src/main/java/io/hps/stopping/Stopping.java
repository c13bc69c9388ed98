package io.hps.stopping;

import java.util.Locale;

/** The stopping rules a study can name in {@code --stop} and {@code study.json}. */
public enum Stopping {
  MEDIAN, PREDICTED;

  public StoppingRule create() {
    switch (this) {
      case MEDIAN:
        return new MedianRule(2, 5);
      case PREDICTED:
        return new PredictedRule(2, 10, 2.0);
      default:
        throw new AssertionError(this);
    }
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Stopping parse(String text) {
    for (Stopping s : values()) {
      if (s.json().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown stopping rule '" + text + "' (median, predicted)");
  }
}
