package io.hps.dl4j;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The epoch loop both DL4J trainers share: train, validate (skipped once the loss is not finite), record,
 * end as {@code diverged} on a non-finite metric, as {@code stopped} when the sink says so.
 */
final class EpochLoop {
  /** One network's training and validation passes. */
  interface Network {
    /** One epoch of training; the mean minibatch loss, or the first non-finite one. */
    double trainEpoch();

    Scores validate();
  }

  private EpochLoop() {}

  static Outcome run(int epochs, Network net, EpochSink sink, Map<String, Object> info) throws InterruptedException {
    long start = System.nanoTime();
    List<Epoch> done = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      double trainLoss = net.trainEpoch();
      Scores val = Double.isFinite(trainLoss) ? net.validate() : new Scores(Double.NaN, Double.NaN);
      Epoch epoch = new Epoch(e, trainLoss, val.loss(), val.error(), (System.nanoTime() - start) / 1e9);
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
