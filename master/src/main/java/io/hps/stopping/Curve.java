package io.hps.stopping;

import io.hps.space.Params;
import java.util.Objects;

/**
 * A trial's validation errors per epoch so far, and whether it ended (finished all its epochs, or was
 * stopped). Stopping rules read curves; the master builds them from results and progress files, the
 * replay simulator from recorded ones.
 */
public record Curve(String id, Params params, double[] valErrors, boolean ended) {
  public Curve {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(params, "params");
    valErrors = valErrors.clone();
  }

  public int epochs() {
    return valErrors.length;
  }

  /** The lowest error in the first {@code epochs} epochs. */
  public double bestUpTo(int epochs) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < Math.min(epochs, valErrors.length); i++) {
      if (Double.isFinite(valErrors[i])) {
        best = Math.min(best, valErrors[i]);
      }
    }
    return best;
  }

  /** The mean of the first {@code epochs} errors (non-finite ones count as 1: a diverged net is no better than chance). */
  public double meanUpTo(int epochs) {
    double sum = 0;
    for (int i = 0; i < epochs; i++) {
      sum += Double.isFinite(valErrors[i]) ? valErrors[i] : 1;
    }
    return sum / epochs;
  }

  /** The first {@code epochs} epochs of this curve, as a running trial would have shown them. */
  public Curve prefix(int epochs) {
    return new Curve(id, params, java.util.Arrays.copyOf(valErrors, epochs), epochs >= valErrors.length && ended);
  }
}
