package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What {@code workers/<id>.json} says a worker is doing. */
public enum WorkerState {
  IDLE, TRAINING, EXITED;

  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static WorkerState parse(String text) {
    return EnumText.parse(WorkerState.class, text, "worker state");
  }
}
