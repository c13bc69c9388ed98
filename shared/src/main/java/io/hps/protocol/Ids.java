package io.hps.protocol;

import java.util.regex.Pattern;

/** Rules for ids that become file names: settings, workers. */
public final class Ids {
  /** Setting ids and worker ids: letters, digits, '-', '_' and '.', no leading dot, at most 64. */
  public static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Ids() {}

  /** Checks that an id is safe to use as a file name. */
  public static String check(String what, String id) {
    if (id == null || !SAFE.matcher(id).matches() || id.contains("..")) {
      throw new IllegalArgumentException(what + " '" + id + "' is not a safe id: use letters, digits, '-', '_',"
          + " '.' (no '..'), at most 64 characters");
    }
    return id;
  }

  /** The id of the setting at a position of the study: {@code s000017}. */
  public static String setting(int sequence) {
    if (sequence < 0) {
      return String.format("s%06d", sequence);
    }
    String digits = Integer.toString(sequence); // not String.format: a master makes ids by the thousand
    return digits.length() >= 6 ? "s" + digits : "s" + "000000".substring(digits.length()) + digits;
  }

  /** Checks the schema version of a file kind. */
  public static void schema(int schema) {
    if (schema != 1) {
      throw new IllegalArgumentException("schema " + schema + " is not supported (this version reads schema 1)");
    }
  }
}
