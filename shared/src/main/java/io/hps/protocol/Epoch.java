package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Metrics at the end of one epoch. Losses are mean negative log-likelihoods (or whatever loss the trainer
 * minimises), {@code valError} is the fraction of misclassified validation examples (we minimise it),
 * {@code elapsedSeconds} counts from the start of the trial. Optional: {@code trainSeconds} and
 * {@code valSeconds}, the time this epoch spent training and validating, and {@code metrics}, further
 * numbers a trainer reports (named like parameters). Non-finite numbers are written as the strings
 * "NaN", "Infinity" and "-Infinity".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Epoch(int epoch, double trainLoss, double valLoss, double valError, double elapsedSeconds,
    Double trainSeconds, Double valSeconds, Map<String, Double> metrics) {
  private static final Pattern METRIC = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

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
    if (trainSeconds != null && !(trainSeconds >= 0) || valSeconds != null && !(valSeconds >= 0)) {
      throw new IllegalArgumentException("trainSeconds and valSeconds must be >= 0");
    }
    if (metrics != null) {
      Map<String, Double> copy = new LinkedHashMap<>();
      metrics.forEach((name, value) -> {
        if (name == null || !METRIC.matcher(name).matches()) {
          throw new IllegalArgumentException("bad metric name '" + name + "': use letters, digits, '_', '.', '-'");
        }
        copy.put(name, value == null ? Double.NaN : value);
      });
      metrics = copy.isEmpty() ? null : Collections.unmodifiableMap(copy);
    }
  }

  /** An epoch with the four metrics every trainer reports. */
  public Epoch(int epoch, double trainLoss, double valLoss, double valError, double elapsedSeconds) {
    this(epoch, trainLoss, valLoss, valError, elapsedSeconds, null, null, null);
  }

  /** Whether every metric is a finite number. */
  public boolean finite() {
    return Double.isFinite(trainLoss) && Double.isFinite(valLoss) && Double.isFinite(valError);
  }
}
