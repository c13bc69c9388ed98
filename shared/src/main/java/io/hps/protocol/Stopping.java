package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The stopping rules a study can name in {@code --stop} and {@code study.json}. */
public enum Stopping {
  MEDIAN, PREDICTED;

  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static Stopping parse(String text) {
    return EnumText.parse(Stopping.class, text, "stopping rule");
  }
}
