package io.hps.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code study.json}: what the master was asked to do. {@code space} is the search space after
 * {@code --set} overrides, in the space-file format. {@code trials} counts points; the study holds
 * {@code trials * repeats} settings. In {@code sync} mode the master writes {@code batch} settings and
 * waits for all their results; in {@code async} mode it keeps {@code batch} settings in flight.
 * Optional: {@code stop}, the stopping rule ({@code median} or {@code predicted}; absent: none), and for
 * the halving strategies {@code eta} (reduction factor, default 3) and {@code minEpochs} (the first
 * rung's budget, default 1).
 */
public record StudyConfig(int schema, String name, Instant created, ObjectNode space, String strategy, long seed,
    int trials, int repeats, int batch, String mode, double leaseSeconds, int retries, String stop, Integer eta,
    Integer minEpochs) {
  public StudyConfig {
    Ids.schema(schema);
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(strategy, "strategy");
    if (trials < 1 || repeats < 1 || batch < 1 || retries < 0) {
      throw new IllegalArgumentException("trials, repeats and batch must be >= 1 and retries >= 0");
    }
    if (!"sync".equals(mode) && !"async".equals(mode)) {
      throw new IllegalArgumentException("mode must be sync or async, not " + mode);
    }
    if (!(leaseSeconds > 0)) {
      throw new IllegalArgumentException("leaseSeconds must be > 0");
    }
    if (eta != null && eta < 2 || minEpochs != null && minEpochs < 1) {
      throw new IllegalArgumentException("eta must be >= 2 and minEpochs >= 1");
    }
  }

  /** A study without a stopping rule, with the halving strategies' defaults. */
  public StudyConfig(int schema, String name, Instant created, ObjectNode space, String strategy, long seed,
      int trials, int repeats, int batch, String mode, double leaseSeconds, int retries) {
    this(schema, name, created, space, strategy, seed, trials, repeats, batch, mode, leaseSeconds, retries, null, null,
        null);
  }

  /** How often a worker must touch its claim: a sixth of the lease. */
  public double heartbeatSeconds() {
    return leaseSeconds / 6;
  }

  /** Total number of settings the study will hold. */
  public int settings() {
    return trials * repeats;
  }
}
