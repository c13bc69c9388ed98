package io.hps.protocol;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The numbers of a result that objectives and constraints name. Built in, from the last epoch:
 * {@code valError}, {@code valLoss}, {@code trainLoss}; {@code trainSeconds}, the training time of all the
 * result's epochs (the sum of their {@code trainSeconds}, else the last epoch's {@code elapsedSeconds});
 * {@code elapsedSeconds}. Any other name is looked up in the last epoch's {@code metrics}, then in the
 * result's {@code info} (a number there, such as {@code numFreeParameters}). A failed result, or one without
 * the metric or with a non-finite value, has none.
 */
public final class Metrics {
  public static final String VAL_ERROR = "valError";
  /** The built-in names, in the order help texts list them. */
  public static final List<String> BUILT_IN = List.of(VAL_ERROR, "valLoss", "trainLoss", "trainSeconds",
      "elapsedSeconds");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  private Metrics() {}

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name '" + name + "': a letter, then letters, digits, '_', '.',"
          + " '-' (built in: " + String.join(", ", BUILT_IN) + "; others from the epochs' metrics or the result's"
          + " info)");
    }
  }

  /** The value of {@code metric} in {@code result}, when it has a finite one. */
  public static OptionalDouble value(Result result, String metric) {
    if (result.status() == Status.FAILED || result.epochs().isEmpty()) {
      return OptionalDouble.empty();
    }
    List<Epoch> epochs = result.epochs();
    Epoch last = epochs.get(epochs.size() - 1);
    double v = switch (metric) {
      case VAL_ERROR -> last.valError();
      case "valLoss" -> last.valLoss();
      case "trainLoss" -> last.trainLoss();
      case "elapsedSeconds" -> last.elapsedSeconds();
      case "trainSeconds" -> trainSeconds(epochs);
      default -> other(result, last, metric);
    };
    return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
  }

  private static double trainSeconds(List<Epoch> epochs) {
    double sum = 0;
    for (Epoch e : epochs) {
      if (e.trainSeconds() == null) {
        return epochs.get(epochs.size() - 1).elapsedSeconds();
      }
      sum += e.trainSeconds();
    }
    return sum;
  }

  private static double other(Result result, Epoch last, String metric) {
    Map<String, Double> reported = last.metrics();
    if (reported != null && reported.containsKey(metric)) {
      return reported.get(metric);
    }
    return result.info().get(metric) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
