package io.hps.scenario;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one run's curve says in numbers: seconds per epoch spent training and validating (medians over
 * its epochs), minibatch steps per epoch, final and best validation error and the epoch of the best,
 * and the error reached within a budget of training seconds.
 */
record RunFacts(Result result, OptionalDouble trainSeconds, OptionalDouble valSeconds, Integer steps,
    double finalError, double bestError, int bestEpoch) {

  static RunFacts of(Result r) {
    List<Epoch> epochs = r.epochs();
    OptionalDouble train = median(epochs.stream().map(Epoch::trainSeconds).filter(Objects::nonNull)
        .mapToDouble(Double::doubleValue).toArray());
    OptionalDouble val = median(epochs.stream().map(Epoch::valSeconds).filter(Objects::nonNull)
        .mapToDouble(Double::doubleValue).toArray());
    Integer steps = r.params().has("trainSize") && r.params().has("bs")
        ? (int) Math.ceil(r.params().getDouble("trainSize") / r.params().getDouble("bs")) : null;
    double best = Double.NaN;
    int bestEpoch = 0;
    for (Epoch e : epochs) {
      if (Double.isFinite(e.valError()) && (Double.isNaN(best) || e.valError() < best)) {
        best = e.valError();
        bestEpoch = e.epoch();
      }
    }
    double last = epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).valError();
    return new RunFacts(r, train, val, steps, last, best, bestEpoch);
  }

  /**
   * The lowest validation error among the epochs that ended within {@code budget} cumulative training
   * seconds, and when it was reached: {@code {seconds, error}}; NaN error when even the first epoch took
   * longer, or the run records no training seconds.
   */
  double[] bestWithin(double budget) {
    double clock = 0;
    double[] best = {Double.NaN, Double.NaN};
    for (Epoch e : result.epochs()) {
      if (e.trainSeconds() == null) {
        return new double[] {Double.NaN, Double.NaN};
      }
      clock += e.trainSeconds();
      if (clock > budget) {
        break;
      }
      if (Double.isFinite(e.valError()) && !(e.valError() >= best[1])) {
        best = new double[] {clock, e.valError()};
      }
    }
    return best;
  }

  /** The lowest validation error reached within {@code budget} training seconds ({@link #bestWithin}). */
  double errorWithin(double budget) {
    return bestWithin(budget)[1];
  }

  /** Cumulative training seconds at the end of epoch {@code n} (1-based); NaN when not recorded. */
  double trainingSecondsAt(int n) {
    double clock = 0;
    for (Epoch e : result.epochs().subList(0, Math.min(n, result.epochs().size()))) {
      if (e.trainSeconds() == null) {
        return Double.NaN;
      }
      clock += e.trainSeconds();
    }
    return clock;
  }

  static OptionalDouble median(double[] values) {
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return OptionalDouble.of(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  }
}
