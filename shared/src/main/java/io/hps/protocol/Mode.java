package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the master proposes: {@code sync} batches (each finishes before the next), or {@code async}, a window of settings in flight. */
public enum Mode {
  SYNC, ASYNC;

  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static Mode parse(String text) {
    return EnumText.parse(Mode.class, text, "mode");
  }
}
