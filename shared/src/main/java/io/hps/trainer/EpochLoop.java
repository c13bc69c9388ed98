package io.hps.trainer;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one epoch loop of hps's trainers, and yours if you like: warm up (before the clock starts), train,
 * validate (skipped once the loss is not finite), record, end as {@code diverged} on a non-finite
 * metric, as {@code stopped} when the sink says so. Each epoch records its training and validation
 * seconds apart; {@code elapsedSeconds} counts from the end of the warm-up, whose seconds go into the
 * result's info as {@code warmupSeconds} (when the network warms up).
 *
 * <pre>{@code
 * return EpochLoop.run(trial.epochs(), new EpochLoop.Network() {
 *   public double trainEpoch() { ...; return meanLoss; }
 *   public Scores validate() { ...; return new Scores(valLoss, valError); }
 * }, sink, Map.of("framework", "mine"));
 * }</pre>
 */
public final class EpochLoop {
  /** One network's training and validation passes. */
  public interface Network {
    /**
     * Runs the code paths of training and validation once on a little data without changing what the
     * trial will learn (no update, its own random numbers), so that the JVM's compilation, the native
     * library's first calls and the graph's set-up do not count as training time of the first epoch.
     * Returns the training steps it took (0 when it only ran forward passes); by default it does nothing
     * and returns -1, and the result's info says nothing of a warm-up.
     */
    default int warmUp() throws Exception {
      return -1;
    }

    /** One epoch of training; the mean minibatch loss, or the first non-finite one. */
    double trainEpoch() throws Exception;

    /** One pass over the validation data. */
    Scores validate() throws Exception;

    /**
     * Saves everything training needs to continue (weights, optimizer state, random streams as you see
     * fit) into the empty directory {@code directory}. By default the network cannot, and its trials keep
     * no checkpoint.
     */
    default void save(Path directory) throws Exception {
      throw new UnsupportedOperationException("this trainer does not save checkpoints");
    }

    /**
     * Restores the state {@link #save} wrote after {@code epochs} epochs. All or nothing: when it throws,
     * the network must be as it was (loaded files checked before anything is assigned), because training
     * then starts from scratch.
     */
    default void restore(Path directory, int epochs) throws Exception {
      throw new UnsupportedOperationException("this trainer does not resume from checkpoints");
    }
  }

  private EpochLoop() {}

  /**
   * Trains {@code net} for {@code epochs} epochs, reporting each to {@code sink}; {@code facts} go into the
   * outcome's info. No checkpoints: see {@link #run(Trial, Network, EpochSink, Map)}.
   */
  public static Outcome run(int epochs, Network net, EpochSink sink, Map<String, Object> facts) throws Exception {
    return run(epochs, null, null, net, sink, facts);
  }

  /**
   * Trains {@code net} for the trial's {@link Trial#epochs()}, with its checkpoints: after the warm-up it
   * restores {@link Trial#resumeFrom()} (when that fails, or the network cannot, it trains from scratch and
   * the info says why under {@code resumeFailed}) and trains the epochs after it; when the run completes
   * it saves into {@link Trial#checkpointDirectory()} (a failure goes into the info as
   * {@code checkpointFailed}, the result stands).
   */
  public static Outcome run(Trial trial, Network net, EpochSink sink, Map<String, Object> facts) throws Exception {
    return run(trial.epochs(), trial.resumeFrom().orElse(null), trial.checkpointDirectory().orElse(null), net, sink,
        facts);
  }

  private static Outcome run(int epochs, Checkpoint from, Path saveTo, Network net, EpochSink sink,
      Map<String, Object> facts) throws Exception {
    long warm = System.nanoTime();
    int steps = net.warmUp();
    Map<String, Object> info = new LinkedHashMap<>(facts);
    long warmed = System.nanoTime();
    if (steps >= 0) {
      info.put("warmupSeconds", (warmed - warm) / 1e9);
      info.put("warmupSteps", steps);
    }
    int first = 1;
    if (from != null && from.epochs() < epochs) {
      try {
        net.restore(from.directory(), from.epochs());
        first = from.epochs() + 1;
        info.put("restoreSeconds", (System.nanoTime() - warmed) / 1e9);
      } catch (UnsupportedOperationException e) {
        info.put("resumeFailed", e.getMessage() + "; trained from scratch");
      } catch (Exception e) {
        info.put("resumeFailed", "checkpoint " + from.directory().getParent().getFileName() + "/"
            + from.directory().getFileName() + " could not be restored (" + e.getClass().getSimpleName() + ": "
            + e.getMessage() + "); trained from scratch");
      }
    }
    long start = System.nanoTime();
    List<Epoch> done = new ArrayList<>();
    for (int e = first; e <= epochs; e++) {
      long before = System.nanoTime();
      double trainLoss = net.trainEpoch();
      long trained = System.nanoTime();
      Scores val = Double.isFinite(trainLoss) ? net.validate() : new Scores(Double.NaN, Double.NaN);
      long validated = System.nanoTime();
      Epoch epoch = new Epoch(e, trainLoss, val.loss(), val.error(), (validated - start) / 1e9,
          (trained - before) / 1e9, (validated - trained) / 1e9, null);
      done.add(epoch);
      if (!epoch.finite()) {
        return new Outcome(Status.DIVERGED, "loss became " + (Double.isNaN(trainLoss) ? "NaN" : "infinite")
            + " in epoch " + e, done, info);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (!sink.accept(epoch) && e < epochs) {
        return new Outcome(Status.STOPPED, "stopped after epoch " + e, done, info);
      }
    }
    if (saveTo != null) {
      long before = System.nanoTime();
      try {
        net.save(saveTo);
        info.put("checkpointSeconds", (System.nanoTime() - before) / 1e9);
      } catch (UnsupportedOperationException e) {
        info.put("checkpointFailed", e.getMessage());
      } catch (Exception e) {
        info.put("checkpointFailed", e.getClass().getSimpleName() + ": " + e.getMessage());
        // Half a checkpoint must not be kept: leave the directory empty.
        io.hps.study.Checkpoints.deleteTree(saveTo);
        java.nio.file.Files.createDirectories(saveTo);
      }
    }
    return new Outcome(Status.COMPLETE, null, done, info);
  }
}
