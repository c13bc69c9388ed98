package io.hps.protocol;

import java.util.regex.Pattern;

/** Rules for ids that become file names: settings, workers. */
public final class Ids {
  /** Setting ids and worker ids: letters, digits, '-', '_' and '.', no leading dot, at most 64. */
  public static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Ids() {}

  /**
   * Whether {@code id} is a safe id ({@link #SAFE}, and no ".."): the same test as the pattern, without one,
   * since a study of 100,000 settings asks it of every file name.
   */
  public static boolean safe(String id) {
    if (id == null || id.isEmpty() || id.length() > 64 || id.contains("..")) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!plain && (i == 0 || c != '_' && c != '.' && c != '-')) {
        return false;
      }
    }
    return true;
  }

  /** Checks that an id is safe to use as a file name. */
  public static String check(String what, String id) {
    if (!safe(id)) {
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
