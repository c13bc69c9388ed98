package io.hps.space;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hyperparameter values of one setting: names to JSON scalars (String, Boolean, Long, Double), in
 * the order of the search space. Written to JSON as a plain object.
 */
public record Params(Map<String, Object> values) {
  static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  @JsonCreator
  public Params {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((name, value) -> {
      if (!goodName(name)) {
        throw new IllegalArgumentException("bad parameter name '" + name + "': use letters, digits and _");
      }
      copy.put(name, Values.normalize(name, value));
    });
    values = Collections.unmodifiableMap(copy);
  }

  /** Names that passed {@link #NAME}: a study reads the same few names in every one of its settings. */
  private static final java.util.Set<String> GOOD_NAMES = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static boolean goodName(String name) {
    if (name == null) {
      return false;
    }
    if (GOOD_NAMES.contains(name)) {
      return true;
    }
    if (!NAME.matcher(name).matches()) {
      return false;
    }
    if (GOOD_NAMES.size() < 10_000) {
      GOOD_NAMES.add(name);
    }
    return true;
  }

  @JsonValue
  @Override
  public Map<String, Object> values() {
    return values;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Object get(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("parameter '" + name + "' is missing (have " + values.keySet() + ")");
    }
    return value;
  }

  public double getDouble(String name) {
    if (get(name) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("parameter '" + name + "' must be a number, not " + Values.show(get(name)));
  }

  public double getDouble(String name, double fallback) {
    return has(name) ? getDouble(name) : fallback;
  }

  public int getInt(String name) {
    double d = getDouble(name);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("parameter '" + name + "' must be an integer, not " + Values.show(get(name)));
    }
    return (int) d;
  }

  public int getInt(String name, int fallback) {
    return has(name) ? getInt(name) : fallback;
  }

  public long getLong(String name, long fallback) {
    return has(name) ? (long) getDouble(name) : fallback;
  }

  public String getString(String name) {
    return String.valueOf(get(name));
  }

  public String getString(String name, String fallback) {
    return has(name) ? getString(name) : fallback;
  }

  /**
   * Whether {@code other} holds the same names with the same values, numbers compared by value (so
   * {@code 1} and {@code 1.0} are the same, as a worker in another language may write either).
   */
  public boolean sameAs(Params other) {
    return difference(other).isEmpty();
  }

  /** The first difference from {@code other} in words, or empty when {@link #sameAs} holds. */
  public java.util.Optional<String> difference(Params other) {
    for (String name : values.keySet()) {
      if (!other.values.containsKey(name)) {
        return java.util.Optional.of("parameter '" + name + "' is missing");
      }
      if (!Values.same(values.get(name), other.values.get(name))) {
        return java.util.Optional.of("parameter '" + name + "' is " + Values.show(other.values.get(name))
            + ", not " + Values.show(values.get(name)));
      }
    }
    for (String name : other.values.keySet()) {
      if (!values.containsKey(name)) {
        return java.util.Optional.of("parameter '" + name + "' is extra");
      }
    }
    return java.util.Optional.empty();
  }

  /** A copy with one value replaced or added. */
  public Params with(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Params(copy);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    values.forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(Values.show(v)));
    return text.toString();
  }
}
