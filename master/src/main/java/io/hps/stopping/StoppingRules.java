package io.hps.stopping;

import io.hps.protocol.StopOptions;
import io.hps.protocol.Stopping;

/** Builds the {@link StoppingRule} a study's {@link Stopping} names, with its options. */
public final class StoppingRules {
  private StoppingRules() {}

  public static StoppingRule create(Stopping rule, StopOptions options) {
    StopOptions o = options == null ? StopOptions.DEFAULTS : options;
    return switch (rule) {
      case MEDIAN -> new MedianRule(o.firstEpoch(), o.curvesNeeded(rule));
      case PREDICTED -> new PredictedRule(o.firstEpoch(), o.curvesNeeded(rule), o.margin());
    };
  }

  /** The rule with its defaults. */
  public static StoppingRule create(Stopping rule) {
    return create(rule, StopOptions.DEFAULTS);
  }
}
