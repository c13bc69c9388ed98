package io.hps.protocol;

/** The version of hps, as {@code hps --version} prints it and as proposals record it. */
public final class Version {
  public static final String HPS = "0.1.0";

  private Version() {}
}
