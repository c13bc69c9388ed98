package io.hps.trainer;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
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
  }

  private EpochLoop() {}

  /**
   * Trains {@code net} for {@code epochs} epochs, reporting each to {@code sink}; {@code facts} go into the
   * outcome's info.
   */
  public static Outcome run(int epochs, Network net, EpochSink sink, Map<String, Object> facts) throws Exception {
    long warm = System.nanoTime();
    int steps = net.warmUp();
    Map<String, Object> info = new LinkedHashMap<>(facts);
    long start = System.nanoTime();
    if (steps >= 0) {
      info.put("warmupSeconds", (start - warm) / 1e9);
      info.put("warmupSteps", steps);
    }
    List<Epoch> done = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
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
    return new Outcome(Status.COMPLETE, null, done, info);
  }
}
