package io.hps.space;

import java.util.List;

/**
 * One hyperparameter of a search space. Strategies see only unit-cube coordinates; a parameter turns a
 * coordinate into a value ({@link #decode}) and lists the values a grid search takes ({@link #grid}).
 */
public sealed interface Parameter permits Fixed, Range, Categorical {
  String name();

  /** When the parameter exists; {@link Condition#ALWAYS} for unconditional ones. */
  Condition when();

  /** Whether the parameter takes a coordinate of the unit cube (false for fixed values). */
  boolean searched();

  /** The value at coordinate {@code u} in [0, 1). */
  Object decode(double u);

  /**
   * A coordinate in [0, 1) that decodes to {@code value} (the middle of its cell for integers and
   * categories): the inverse of {@link #decode}, for strategies that model results in the unit cube.
   */
  double encode(Object value);

  /** The values a grid search enumerates, in order. */
  List<Object> grid();

  /** The same parameter fixed to one value, keeping its condition. */
  default Parameter fixedTo(Object value) {
    return new Fixed(name(), Values.normalize(name(), value), when());
  }
}
