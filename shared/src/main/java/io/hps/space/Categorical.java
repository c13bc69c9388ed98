package io.hps.space;

import java.util.List;

/** A choice among listed values (type {@code categorical}, or a bare JSON array of scalars). */
public record Categorical(String name, List<Object> values, Condition when) implements Parameter {
  public Categorical {
    values = values.stream().map(v -> Values.normalize(name, v)).toList();
    if (values.isEmpty()) {
      throw new IllegalArgumentException("'values' must list at least one value");
    }
    if (values.size() > Range.MAX_STEPS) {
      throw new IllegalArgumentException("'values' lists " + values.size() + " values; at most " + Range.MAX_STEPS
          + " (for more, use a numeric range)");
    }
  }

  @Override
  public boolean searched() {
    return true;
  }

  @Override
  public double encode(Object value) {
    int i = 0;
    for (Object v : values) {
      if (v.equals(value) || v instanceof Number a && value instanceof Number b
          && a.doubleValue() == b.doubleValue()) {
        return (i + 0.5) / values.size();
      }
      i++;
    }
    return 0.5; // a value the space no longer has: the middle
  }

  @Override
  public Object decode(double u) {
    return values.get(Math.min(values.size() - 1, (int) Math.floor(u * values.size())));
  }

  @Override
  public List<Object> grid() {
    return values;
  }
}
