package io.hps.dl4j;

import io.hps.data.Dataset;
import io.hps.trainer.Scores;

/** Validation loss (mean negative log-likelihood) and error fraction from predicted class probabilities. */
final class Validation {
  private Validation() {}

  static Scores of(float[] probs, Dataset data, int from, int n, Scores previous, int seen) {
    double nll = 0;
    int wrong = 0;
    int k = data.classes();
    for (int i = 0; i < n; i++) {
      int label = data.labels()[from + i];
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (probs[i * k + c] > probs[i * k + best]) {
          best = c;
        }
      }
      wrong += best == label ? 0 : 1;
      nll -= Math.log(Math.max(probs[i * k + label], 1e-12));
    }
    if (previous == null) {
      return new Scores(nll / n, (double) wrong / n);
    }
    int total = seen + n;
    return new Scores((previous.loss() * seen + nll) / total, (previous.error() * seen + wrong) / total);
  }
}
