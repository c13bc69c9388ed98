/**
 * The public trainer API: {@link io.hps.trainer.Trainer} (found by {@link java.util.ServiceLoader}),
 * {@link io.hps.trainer.Trial}, {@link io.hps.trainer.EpochSink} and {@link io.hps.trainer.Outcome}. A
 * user's model compiles against this package and the records it names, with nothing else of hps (no DL4J).
 */
package io.hps.trainer;
