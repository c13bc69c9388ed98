package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which way an {@link Objective} goes. */
public enum Direction {
  MINIMIZE, MAXIMIZE;

  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static Direction parse(String text) {
    return EnumText.parse(Direction.class, text, "direction");
  }
}
