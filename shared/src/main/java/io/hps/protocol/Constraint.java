package io.hps.protocol;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound a result must keep to be feasible: {@code metric <= bound} or {@code metric >= bound}
 * ({@code constraints} in {@code study.json}). An infeasible result is kept and marked, never dropped; one
 * that lacks the metric is infeasible.
 *
 * @param op {@code "<="} or {@code ">="}
 */
public record Constraint(String metric, String op, double bound) {
  private static final Pattern FORM = Pattern.compile("\\s*([^<>=\\s]+)\\s*(<=|>=)\\s*(\\S+)\\s*");

  public Constraint {
    Metrics.checkName(metric);
    if (!"<=".equals(op) && !">=".equals(op)) {
      throw new IllegalArgumentException("a constraint's op is <= or >=, not '" + op + "'");
    }
    if (!Double.isFinite(bound)) {
      throw new IllegalArgumentException("a constraint's bound must be a finite number, not " + bound);
    }
  }

  /** Reads {@code NAME<=VALUE} or {@code NAME>=VALUE}, as {@code --constraint} takes it. */
  public static Constraint parse(String text) {
    Matcher m = FORM.matcher(Objects.requireNonNull(text, "constraint"));
    if (!m.matches()) {
      throw new IllegalArgumentException("constraint '" + text + "': write METRIC<=VALUE or METRIC>=VALUE"
          + " (numFreeParameters<=200000)");
    }
    String number = m.group(3);
    if (!number.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
      throw new IllegalArgumentException("constraint '" + text + "': '" + number + "' is not a number");
    }
    double bound = Double.parseDouble(number);
    if (!Double.isFinite(bound)) {
      throw new IllegalArgumentException("constraint '" + text + "': '" + number + "' is too large for a bound");
    }
    return new Constraint(m.group(1), m.group(2), bound);
  }

  /**
   * How far the result is beyond the bound: 0 when it keeps it, positive when not, infinite when it lacks
   * the metric (or failed).
   */
  public double violation(Result result) {
    OptionalDouble v = Metrics.value(result, metric);
    if (v.isEmpty()) {
      return Double.POSITIVE_INFINITY;
    }
    double over = "<=".equals(op) ? v.getAsDouble() - bound : bound - v.getAsDouble();
    return Math.max(0, over);
  }

  @Override
  public String toString() {
    return metric + op + (bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? String.valueOf((long) bound)
        : java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toString());
  }
}
