package io.hps.trainer;

import io.hps.space.Params;

/** Evaluates one setting. Failures are exceptions; the worker turns them into failed results. */
public interface Trainer {
  /**
   * Trains the network {@code params} describe, handing each finished epoch to {@code sink}; stops
   * early (status {@code stopped}) when the sink answers false.
   */
  Outcome train(Params params, EpochSink sink) throws InterruptedException;
}
