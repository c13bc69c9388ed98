package io.hps.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A numeric range: {@code uniform}, {@code loguniform} or {@code int} (optionally {@code "log": true}).
 * Random search samples it; grid search takes its explicit {@code grid} list or {@code steps} evenly
 * spaced values (on the log scale for log ranges).
 */
public record Range(String name, Kind kind, double low, double high, boolean log, List<Object> gridValues,
    int steps, Condition when) implements Parameter {

  /** The distribution's JSON type name. */
  public enum Kind {
    UNIFORM("uniform"), LOGUNIFORM("loguniform"), INT("int");

    final String json;

    Kind(String json) {
      this.json = json;
    }
  }

  /** The most values one parameter's grid may have. */
  public static final int MAX_STEPS = 10_000;

  public Range {
    gridValues = gridValues.stream().map(v -> Values.normalize(name, v)).toList();
    if (kind == Kind.LOGUNIFORM) {
      log = true;
    }
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException("'low' and 'high' must be finite numbers");
    }
    if (!(low < high)) {
      throw new IllegalArgumentException("'low' (" + low + ") must be below 'high' (" + high + ")");
    }
    if (log && low <= 0) {
      throw new IllegalArgumentException("a log-scale range needs 'low' > 0, not " + low);
    }
    if (kind == Kind.INT && (low != Math.rint(low) || high != Math.rint(high))) {
      throw new IllegalArgumentException("an int range needs integer 'low' and 'high'");
    }
    if (steps < 0 || steps == 1) {
      throw new IllegalArgumentException("'steps' must be at least 2");
    }
    if (steps > MAX_STEPS) {
      throw new IllegalArgumentException("'steps' is " + steps + "; at most " + MAX_STEPS + " values per parameter");
    }
    for (Object v : gridValues) {
      if (!(v instanceof Number n) || n.doubleValue() < low || n.doubleValue() > high) {
        throw new IllegalArgumentException("grid value " + Values.show(v) + " is outside [" + low + ", " + high + "]");
      }
    }
  }

  @Override
  public boolean searched() {
    return true;
  }

  @Override
  public double encode(Object value) {
    if (!(value instanceof Number n)) {
      return 0.5;
    }
    double x = n.doubleValue();
    double lo = low;
    double hi = high;
    if (kind == Kind.INT) {
      x += 0.5; // the middle of the integer's cell [v, v + 1)
      hi = high + 1;
    }
    double u = log ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (x - lo) / (hi - lo);
    return Math.max(0, Math.min(Math.nextDown(1.0), u));
  }

  @Override
  public Object decode(double u) {
    if (kind == Kind.INT) {
      double top = high + 1;
      double x = log ? Math.exp(Math.log(low) + u * (Math.log(top) - Math.log(low))) : low + u * (top - low);
      return (long) Math.max(low, Math.min(high, Math.floor(x)));
    }
    double x = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
    return Math.max(low, Math.min(high, x));
  }

  @Override
  public List<Object> grid() {
    if (!gridValues.isEmpty()) {
      return gridValues;
    }
    if (steps == 0) {
      throw new IllegalArgumentException("parameter '" + name + "' is a range: give it a 'grid' list or a 'steps'"
          + " count for grid search, or fix it with --set " + name + "=VALUE");
    }
    List<Object> values = new ArrayList<>();
    java.util.Set<Double> seen = new java.util.HashSet<>();
    for (int i = 0; i < steps; i++) {
      double t = (double) i / (steps - 1);
      double x = i == 0 ? low : i == steps - 1 ? high : log ? low * Math.pow(high / low, t) : low + t * (high - low);
      Object value = kind == Kind.INT ? (Object) Math.round(x) : (Object) x;
      if (seen.add(((Number) value).doubleValue())) {
        values.add(value);
      }
    }
    return values;
  }
}
