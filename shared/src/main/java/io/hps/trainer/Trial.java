package io.hps.trainer;

import io.hps.space.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One evaluation of a setting, as a trainer sees it: the parameters, the budget, and what the worker running
 * it offers (data directory, threads, device, a scratch directory, its log). {@link #of(Params)} makes one
 * for a trainer's own tests.
 */
public interface Trial {
  /** The setting's id, {@code s000017}. */
  String id();

  /** 1, then 2, ... when earlier attempts of the setting were lost (a worker died). */
  int attempt();

  /** The hyperparameters, as the search space decoded them. */
  Params params();

  /**
   * The budget: how many epochs to train, when the setting says (the budget a halving strategy gave it,
   * else its {@code epochs} parameter); empty when it has neither.
   */
  default OptionalInt budget() {
    return io.hps.protocol.Setting.plannedEpochs(null, params());
  }

  /**
   * The budget: how many epochs to train.
   *
   * @throws IllegalArgumentException when the setting has no budget and no {@code epochs}, or it is below 1
   */
  default int epochs() {
    int epochs = budget().orElseThrow(() -> new IllegalArgumentException("the setting has no 'epochs' (its"
        + " number of epochs to train)"));
    if (epochs < 1) {
      throw new IllegalArgumentException("'epochs' must be at least 1, not " + epochs);
    }
    return epochs;
  }

  /**
   * Where to save the network's state when training completes, when the study asks for it (a halving rung
   * whose settings may be promoted): an empty directory, yours to fill with whatever your trainer needs to
   * continue (weights, optimizer state, the epoch). Save only after the last epoch of a complete run; the
   * worker then keeps the directory as the setting's checkpoint. Empty when no checkpoint is wanted.
   */
  default java.util.Optional<Path> checkpointDirectory() {
    return Optional.empty();
  }

  /**
   * The checkpoint to continue from, when the setting is a promotion of one that saved one: load it, then
   * train epochs {@code checkpoint.epochs() + 1} to {@link #epochs()}, numbering them so. A trainer that
   * cannot load it (or ignores it) trains from epoch 1, and the result notes that it did. {@link EpochLoop}
   * does all of this for a network that can save and restore itself.
   */
  default Optional<Checkpoint> resumeFrom() {
    return Optional.empty();
  }

  /** The training seed ({@code seed}: the study's seed plus the repeat); 0 when the setting has none. */
  default long seed() {
    return params().getLong("seed", 0);
  }

  /**
   * A directory for this attempt's own files (created on first call, kept afterwards): in a study,
   * {@code work/<id>/attempt-<n>/}.
   */
  Path workDirectory() throws IOException;

  /**
   * A file for this attempt's own output, such as a program's standard output (its directory is created,
   * the file is not): in a study, {@code logs/<id>-attempt-<n>.log}.
   */
  Path logFile() throws IOException;

  /**
   * The worker's data directory ({@code hps worker --data-dir}; by default {@code $HPS_DATA_DIR/mnist}, else
   * {@code ~/.hps/data/mnist}, where the built-in trainers find MNIST).
   */
  Path dataDirectory();

  /** CPU threads the trainer may use; 0 for its own default. */
  int threads();

  /** The GPU this worker is pinned to ({@code --device}), if any. */
  Optional<String> device();

  /** Writes a line to the worker's log. */
  void log(String message);

  /**
   * True once the trial's result can no longer be used (the worker is shutting down, or the master took the
   * setting back): a trainer that waits on something slow (a process, a file) should end soon after.
   */
  boolean cancelled();

  /** A trial outside any study, for tests: id {@code local}, attempt 1, the default data directory. */
  static Trial of(Params params) {
    return new LocalTrial(params, defaultDataDirectory());
  }

  /** The same, with training data in {@code dataDirectory}. */
  static Trial of(Params params, Path dataDirectory) {
    return new LocalTrial(params, dataDirectory);
  }

  /** A worker's data directory when none is given: {@code $HPS_DATA_DIR/mnist}, else {@code ~/.hps/data/mnist}. */
  static Path defaultDataDirectory() {
    String root = System.getenv("HPS_DATA_DIR");
    return (root != null && !root.isBlank() ? Path.of(root) : Path.of(System.getProperty("user.home"), ".hps", "data"))
        .resolve("mnist");
  }
}
