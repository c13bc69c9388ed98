package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stopping rule's parameters, in {@code study.json} as {@code stopOptions}; each absent one takes the
 * rule's default.
 *
 * @param minEpochs the first epoch after which a setting may be stopped (default 2)
 * @param minTrials how many other curves the rule needs before it stops anything: settings that reached
 *     the epoch for {@code median} (default 5), finished settings for {@code predicted} (default 10)
 * @param z for {@code predicted}: a setting stops when its predicted final error minus {@code z}
 *     standard errors is still worse than the best (default 2)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StopOptions(Integer minEpochs, Integer minTrials, Double z) {
  public static final StopOptions DEFAULTS = new StopOptions(null, null, null);

  public StopOptions {
    if (minEpochs != null && minEpochs < 1 || minTrials != null && minTrials < 1) {
      throw new IllegalArgumentException("the stopping rule's minEpochs and minTrials must be at least 1");
    }
    if (z != null && !(z >= 0 && z <= 10)) {
      throw new IllegalArgumentException("the stopping rule's z must be between 0 and 10, not " + z);
    }
  }

  /** {@code minEpochs}, or its default. */
  public int firstEpoch() {
    return minEpochs == null ? 2 : minEpochs;
  }

  /** {@code minTrials}, or {@code rule}'s default. */
  public int curvesNeeded(Stopping rule) {
    return minTrials != null ? minTrials : rule == Stopping.MEDIAN ? 5 : 10;
  }

  /** {@code z}, or its default. */
  public double margin() {
    return z == null ? 2.0 : z;
  }
}
