package io.hps.space;

/** A search-space file or override that cannot be used; the message names the file and the field. */
public class SpaceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SpaceException(String message) {
    super(message);
  }
}
