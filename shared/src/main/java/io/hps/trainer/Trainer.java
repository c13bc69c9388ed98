package io.hps.trainer;

/**
 * Evaluates one setting: hps's extension point for your own model. A worker picks the trainer whose
 * {@link #model()} equals the setting's {@code "model"} parameter, calls {@link #train} and turns what it
 * returns (or throws) into the setting's result file; a trainer knows nothing about files or leases.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.hps.trainer.Trainer} of your jar and start workers with
 * {@code hps worker --classpath your.jar} (or {@code HPS_CLASSPATH}). The class needs a public no-argument
 * constructor; one instance serves every setting of a worker JVM, one setting at a time, so it may keep
 * expensive things (loaded data, native libraries) between settings.
 *
 * <p>Failures are exceptions: any exception (or {@code OutOfMemoryError}) becomes a {@code failed} result
 * with its message, and the worker goes on with the next setting.
 *
 * <p><b>Stability.</b> Every public type of this package (see its {@code package-info}) and the records it
 * uses ({@link io.hps.protocol.Epoch}, {@link io.hps.protocol.Status}, {@link io.hps.space.Params}) are hps's
 * public trainer API. Within a major version it only grows: new
 * methods come with default implementations, records keep their constructors, so a trainer compiled against
 * an older 0.x or 1.x release keeps working. It depends on nothing but Jackson (no DL4J, no master).
 */
public interface Trainer {
  /**
   * The model name settings use to pick this trainer ({@code "cnn"}, {@code "my-resnet"}): letters, digits,
   * {@code '-'}, {@code '_'} and {@code '.'}. Two trainers on one worker's class path must not share a name.
   */
  String model();

  /**
   * Trains the network {@code trial} describes for {@link Trial#epochs()} epochs, handing each finished
   * epoch to {@code sink}. When the sink answers {@code false} (a stopping rule, the worker shutting down,
   * the lease lost), return promptly with {@link Outcome#stopped}. A loss that becomes NaN or infinite ends
   * training with {@link Outcome#diverged}.
   *
   * @throws Exception for a setting that cannot be trained (a bad parameter, missing data): the result is
   *     {@code failed} with the exception's message
   */
  Outcome train(Trial trial, EpochSink sink) throws Exception;

  /**
   * The parameters this trainer reads, with their allowed values and defaults (besides the protocol's
   * {@code model}, {@code epochs} and {@code seed}). hps refuses a study whose space sets another name (a
   * typo such as {@code learningRate}) or a value outside these before anything trains, and a worker checks
   * each setting again before training it. Read the values through them
   * ({@code PARAMETERS.getDouble(trial.params(), "lr")}) so each default is written once. The default,
   * {@link TrainerParameters#UNDECLARED}, accepts any name (trainers written before this method existed).
   */
  default TrainerParameters parameters() {
    return TrainerParameters.UNDECLARED;
  }
}
