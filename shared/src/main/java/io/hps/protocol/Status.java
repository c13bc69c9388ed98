package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a trial ended. Only {@code failed} carries no usable curve. */
public enum Status {
  /** Trained every epoch it was asked for. */
  COMPLETE,
  /** The loss became NaN or infinite; the epochs up to then are kept. */
  DIVERGED,
  /** Ended early by a stopping rule; the epochs it ran are kept. */
  STOPPED,
  /** No outcome: the trainer failed or the retry budget ran out; {@code reason} says why. */
  FAILED;

  @JsonValue
  public String json() {
    return EnumText.text(this);
  }

  @JsonCreator
  public static Status parse(String text) {
    return EnumText.parse(Status.class, text, "status");
  }
}
