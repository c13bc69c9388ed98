package io.hps.trainer;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One parameter a trainer reads: its name, what values it takes, and the value the trainer uses when a
 * setting does not have it ({@code null}: the setting must have it). Declared once, by the trainer, in
 * {@link Trainer#parameters()}: hps refuses a space that sets a name no trainer reads or a value outside
 * these before the study starts, and the trainer reads its values (and defaults) through
 * {@link TrainerParameters}. Make them with {@link #integer}, {@link #real}, {@link #choice} and
 * {@link #text}.
 *
 * @param name the parameter's name in the space file
 * @param type what kind of value it takes
 * @param min the smallest allowed number ({@code -Infinity}: none); for {@code INTEGER} and {@code REAL}
 * @param max the largest allowed number ({@code Infinity}: none)
 * @param minExclusive whether {@code min} itself is not allowed ({@code lr > 0})
 * @param maxExclusive whether {@code max} itself is not allowed ({@code dropout < 1})
 * @param choices the allowed strings of a {@code CHOICE}; empty for the other types
 * @param defaultValue the value used when a setting does not have the parameter, or null
 * @param meaning a few words for error messages and listings ("learning rate")
 */
public record TrainerParameter(String name, Type type, double min, double max, boolean minExclusive,
    boolean maxExclusive, List<String> choices, Object defaultValue, String meaning) {
  /** The kinds of value. */
  public enum Type {
    /** A whole number (a JSON integer, or a number with no fraction). */
    INTEGER,
    /** Any finite number. */
    REAL,
    /** One of {@link #choices()}. */
    CHOICE,
    /** Any string (a path, a name). */
    TEXT
  }

  public TrainerParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    choices = choices == null ? List.of() : List.copyOf(choices);
    meaning = meaning == null ? "" : meaning;
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException(name + ": min " + min + " must not be above max " + max);
    }
    if (type == Type.CHOICE && choices.isEmpty()) {
      throw new IllegalArgumentException(name + ": a choice needs at least one allowed value");
    }
    if (defaultValue instanceof Integer i) {
      defaultValue = i.longValue();
    }
    String wrong = defaultValue == null ? null : new TrainerParameter(name, type, min, max, minExclusive,
        maxExclusive, choices, null, meaning).check(defaultValue);
    if (wrong != null) {
      throw new IllegalArgumentException(name + ": the default " + defaultValue + " is not allowed: it " + wrong);
    }
  }

  /** A whole number in [{@code min}, {@code max}]; {@code defaultValue} null when a setting must have it. */
  public static TrainerParameter integer(String name, long min, long max, Long defaultValue, String meaning) {
    return new TrainerParameter(name, Type.INTEGER, min, max, false, false, List.of(), defaultValue, meaning);
  }

  /** A number in [{@code min}, {@code max}] (see {@link #aboveMin()} and {@link #belowMax()}). */
  public static TrainerParameter real(String name, double min, double max, Double defaultValue, String meaning) {
    return new TrainerParameter(name, Type.REAL, min, max, false, false, List.of(), defaultValue, meaning);
  }

  /** One of {@code choices}. */
  public static TrainerParameter choice(String name, List<String> choices, String defaultValue, String meaning) {
    return new TrainerParameter(name, Type.CHOICE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, false,
        choices, defaultValue, meaning);
  }

  /** Any string. */
  public static TrainerParameter text(String name, String defaultValue, String meaning) {
    return new TrainerParameter(name, Type.TEXT, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, false,
        List.of(), defaultValue, meaning);
  }

  /** The same with {@code min} itself not allowed: {@code lr > 0}. */
  public TrainerParameter aboveMin() {
    return new TrainerParameter(name, type, min, max, true, maxExclusive, choices, defaultValue, meaning);
  }

  /** The same with {@code max} itself not allowed: {@code dropout < 1}. */
  public TrainerParameter belowMax() {
    return new TrainerParameter(name, type, min, max, minExclusive, true, choices, defaultValue, meaning);
  }

  /** What is wrong with {@code value} for this parameter, or null when it is allowed. */
  public String check(Object value) {
    switch (type) {
      case INTEGER, REAL -> {
        if (!(value instanceof Number n) || value instanceof Double d && !Double.isFinite(d)) {
          return "must be a number, not " + shown(value);
        }
        double v = n.doubleValue();
        if (type == Type.INTEGER && v != Math.rint(v)) {
          return "must be a whole number, not " + shown(value);
        }
        if (v < min || minExclusive && v == min || v > max || maxExclusive && v == max) {
          return "must be " + allowed() + ", not " + shown(value);
        }
        return null;
      }
      case CHOICE -> {
        return value instanceof String s && choices.contains(s) ? null : "must be one of " + allowed() + ", not "
            + shown(value);
      }
      default -> {
        return value instanceof String ? null : "must be a string, not " + shown(value);
      }
    }
  }

  /** The allowed values in words: {@code > 0}, {@code 1 to 4096}, {@code "nesterov" or "classic"}. */
  public String allowed() {
    return switch (type) {
      case CHOICE -> String.join(" or ", choices.stream().map(c -> "\"" + c + "\"").toList());
      case TEXT -> "a string";
      default -> {
        boolean low = min > Double.NEGATIVE_INFINITY;
        boolean high = max < Double.POSITIVE_INFINITY;
        String kind = type == Type.INTEGER ? "a whole number" : "a number";
        String from = (minExclusive ? "> " : ">= ") + number(min);
        String to = (maxExclusive ? "< " : "<= ") + number(max);
        if (low && high) {
          yield minExclusive || maxExclusive ? from + " and " + to : number(min) + " to " + number(max);
        }
        yield low ? from : high ? to : kind;
      }
    };
  }

  static String shown(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
        : String.format(Locale.ROOT, "%s", d);
  }
}
