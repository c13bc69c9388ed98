package io.hps.trainer;

import io.hps.protocol.Epoch;

/** Receives each epoch as it ends; answers whether training should go on. */
@FunctionalInterface
public interface EpochSink {
  boolean accept(Epoch epoch);
}
