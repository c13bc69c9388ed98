package io.hps.trainer;

import io.hps.protocol.Epoch;

/**
 * Receives each epoch of a trial as it ends (the worker shows it, reports it to the master for early
 * stopping, and keeps it for the result); answers whether training should go on.
 */
@FunctionalInterface
public interface EpochSink {
  /** Takes one finished epoch; {@code false} asks the trainer to stop now (see {@link Trainer#train}). */
  boolean accept(Epoch epoch);
}
