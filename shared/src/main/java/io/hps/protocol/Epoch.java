package io.hps.protocol;

/**
 * Metrics at the end of one epoch. Losses are mean negative log-likelihoods, {@code valError} is the
 * fraction of misclassified validation examples (we minimise it), {@code elapsedSeconds} counts from
 * the start of the trial. Non-finite losses are written as the strings "NaN" or "Infinity".
 */
public record Epoch(int epoch, double trainLoss, double valLoss, double valError, double elapsedSeconds) {
  public Epoch {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch numbers start at 1, not " + epoch);
    }
    if (!(elapsedSeconds >= 0)) {
      throw new IllegalArgumentException("elapsedSeconds must be >= 0, not " + elapsedSeconds);
    }
    if (!Double.isNaN(valError) && (valError < 0 || valError > 1)) {
      throw new IllegalArgumentException("valError must lie in [0, 1], not " + valError);
    }
  }

  /** Whether every metric is a finite number. */
  public boolean finite() {
    return Double.isFinite(trainLoss) && Double.isFinite(valLoss) && Double.isFinite(valError);
  }
}
