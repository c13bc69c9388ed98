package io.hps.study;

import java.io.IOException;

/** A file in the study directory that must not be used: it goes to quarantine with this reason. */
public class BadFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public BadFileException(String reason) {
    super(reason);
  }

  public BadFileException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
