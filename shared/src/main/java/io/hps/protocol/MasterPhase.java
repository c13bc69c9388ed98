package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What {@code master.json} says the master is doing. */
public enum MasterPhase {
  RUNNING, FINISHED, STOPPED;

  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static MasterPhase parse(String text) {
    return EnumText.parse(MasterPhase.class, text, "master phase");
  }
}
