package io.hps.space;

import java.math.BigDecimal;
import java.math.BigInteger;

/** JSON scalar values as parameters hold them: String, Boolean, Long or Double. */
final class Values {
  private Values() {}

  static Object normalize(String name, Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    throw new IllegalArgumentException("parameter '" + name + "': value must be a string, number or boolean, not "
        + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  /** Equality that treats 1 and 1.0 as the same number. */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  static String show(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  /** Parses a command-line value: a number or boolean when it reads as one, else a string. */
  static Object parse(String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException notLong) {
      try {
        double d = Double.parseDouble(text);
        return Double.isFinite(d) ? d : text;
      } catch (NumberFormatException notNumber) {
        return text;
      }
    }
  }
}
