package io.hps.doctor;

/**
 * One property of a filesystem as probed: what was checked, how it came out, what was seen, and what it means for a
 * study there.
 */
public record Finding(String property, Verdict verdict, String seen, String meaning) {
  /** How a property came out. */
  public enum Verdict {
    /** hps gets what it needs. */
    PASS,
    /** A study works, with a caveat the meaning states. */
    WARN,
    /** hps needs this: a study there could lose or duplicate results, or stop. */
    FAIL,
    /** A figure to know (the clock offset), not a requirement. */
    INFO
  }

  static Finding pass(String property, String seen, String meaning) {
    return new Finding(property, Verdict.PASS, seen, meaning);
  }

  static Finding fail(String property, String seen, String meaning) {
    return new Finding(property, Verdict.FAIL, seen, meaning);
  }

  static Finding warn(String property, String seen, String meaning) {
    return new Finding(property, Verdict.WARN, seen, meaning);
  }

  static Finding info(String property, String seen, String meaning) {
    return new Finding(property, Verdict.INFO, seen, meaning);
  }
}
