/**
 * The public trainer API: {@link io.hps.trainer.Trainer} (found by {@link java.util.ServiceLoader}),
 * {@link io.hps.trainer.Trial}, {@link io.hps.trainer.EpochSink} and {@link io.hps.trainer.Outcome}; the
 * declaration of the parameters a trainer reads ({@link io.hps.trainer.TrainerParameters},
 * {@link io.hps.trainer.TrainerParameter}); checkpoints ({@link io.hps.trainer.Checkpoint}); and the helpers a
 * trainer may use: {@link io.hps.trainer.EpochLoop} (the epoch loop with timing, early stopping and
 * checkpoints) with its {@link io.hps.trainer.Scores}, and {@link io.hps.trainer.ForwardingTrial} (a trial
 * that changes one thing of another). A user's model compiles against this package and the records it names
 * ({@link io.hps.protocol.Epoch}, {@link io.hps.protocol.Status}, {@link io.hps.space.Params}), with nothing
 * else of hps (no DL4J).
 *
 * <p><b>Stability.</b> Every public type of this package, and those records, is hps's public trainer API:
 * within a major version it only grows (new methods come with default implementations, records keep their
 * constructors), so a trainer compiled against an older 0.x or 1.x release keeps working. The library API
 * ({@code io.hps.library}) follows the same rule.
 */
package io.hps.trainer;
