package io.hps.stopping;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The median stopping rule (as in Google Vizier): after epoch {@code e} (at least {@code minEpochs}),
 * stop a trial whose best validation error so far is worse than the median, over the other trials that
 * reached epoch {@code e} (at least {@code minOthers} of them), of their mean error over epochs 1..e.
 */
final class MedianRule implements StoppingRule {
  private final int minEpochs;
  private final int minOthers;

  MedianRule(int minEpochs, int minOthers) {
    this.minEpochs = minEpochs;
    this.minOthers = minOthers;
  }

  @Override
  public Optional<String> stop(Curve trial, int plannedEpochs, List<Curve> others) {
    int e = trial.epochs();
    if (e < minEpochs || e >= plannedEpochs) {
      return Optional.empty();
    }
    double[] means = others.stream().filter(c -> c.epochs() >= e && !c.id().equals(trial.id()))
        .mapToDouble(c -> c.meanUpTo(e)).sorted().toArray();
    if (means.length < minOthers) {
      return Optional.empty();
    }
    double median = median(means);
    double best = trial.bestUpTo(e);
    if (best > median) {
      return Optional.of(String.format(Locale.ROOT, "median rule: best validation error %.4f after %d epochs is"
          + " worse than the median %.4f of %d other trials' means", best, e, median, means.length));
    }
    return Optional.empty();
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
