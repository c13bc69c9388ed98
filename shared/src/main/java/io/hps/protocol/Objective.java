package io.hps.protocol;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One thing a study optimises: a {@link Metrics metric} of each result and the way it goes. A study has one
 * or more ({@code objectives} in {@code study.json}); without the field it has one, {@link #DEFAULT}: the
 * last epoch's validation error, minimised.
 */
public record Objective(String metric, Direction direction) {
  public static final Objective DEFAULT = new Objective(Metrics.VAL_ERROR, Direction.MINIMIZE);

  public Objective {
    Metrics.checkName(metric);
    Objects.requireNonNull(direction, "direction");
  }

  /**
   * Reads {@code NAME} (minimised) or {@code NAME:min} / {@code NAME:max}, as {@code --objective} takes it.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Objective parse(String text) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon < 0) {
      return new Objective(t, Direction.MINIMIZE);
    }
    String way = t.substring(colon + 1).toLowerCase(Locale.ROOT);
    Direction direction = switch (way) {
      case "min", "minimize" -> Direction.MINIMIZE;
      case "max", "maximize" -> Direction.MAXIMIZE;
      default -> throw new IllegalArgumentException("objective '" + text + "': after ':' comes min or max, not '"
          + way + "'");
    };
    return new Objective(t.substring(0, colon), direction);
  }

  /** The result's value to minimise: the metric, negated when maximised; empty when the result lacks it. */
  public OptionalDouble minimised(Result result) {
    OptionalDouble v = Metrics.value(result, metric);
    return v.isPresent() && direction == Direction.MAXIMIZE ? OptionalDouble.of(-v.getAsDouble()) : v;
  }

  @Override
  public String toString() {
    return metric + (direction == Direction.MAXIMIZE ? ":max" : "");
  }
}
