package io.hps.dl4j;

import io.hps.data.MnistCache;
import io.hps.data.Split;
import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The exercise CNN on MNIST: conv 5x5 ({@code nf} filters, ReLU) - max-pool 2x2 - conv 5x5 ({@code nf},
 * ReLU) - max-pool 2x2 - dropout 0.5 - dense 256 ReLU - dropout 0.5 - dense 10 softmax, Glorot-uniform
 * weights, negative log-likelihood, SGD with Nesterov ({@code momentum: "nesterov"}, default) or
 * classic momentum {@code m}, learning rate {@code lr}, batch size {@code bs}. Trains on the first
 * {@code trainSize} (5000) training images, validates on the last {@code valSize} (10000).
 */
public final class CnnTrainer implements Trainer {
  private final MnistCache data;

  public CnnTrainer(MnistCache data) {
    this.data = data;
  }

  @Override
  public Outcome train(Params p, EpochSink sink) throws InterruptedException {
    int nf = p.getInt("nf", 32);
    double lr = p.getDouble("lr", 0.05);
    double m = p.getDouble("m", 0.9);
    int bs = p.getInt("bs", 100);
    int epochs = p.getInt("epochs", 10);
    long seed = p.getLong("seed", 42);
    double dropout = p.getDouble("dropout", 0.5);
    String momentum = p.getString("momentum", "nesterov");
    if (nf < 1 || lr <= 0 || m < 0 || m >= 1.0001 || bs < 1 || epochs < 1 || dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("cnn needs nf >= 1, lr > 0, m in [0, 1], bs >= 1, epochs >= 1, dropout in"
          + " [0, 1): " + p);
    }
    if (!momentum.equals("nesterov") && !momentum.equals("classic")) {
      throw new IllegalArgumentException("momentum must be \"nesterov\" or \"classic\", not \"" + momentum + "\"");
    }
    Split split = data.split(p.getInt("trainSize", 5000), p.getInt("valSize", 10000));
    SplittableRandom random = new SplittableRandom(seed);
    try (CnnGraph net = new CnnGraph(nf, dropout, random)) {
      long start = System.nanoTime();
      List<Epoch> done = new ArrayList<>();
      for (int e = 1; e <= epochs; e++) {
        double trainLoss = net.trainEpoch(split.train(), bs, lr, m, momentum.equals("nesterov"), random);
        Scores val = Double.isFinite(trainLoss) ? net.evaluate(split.validation()) : new Scores(Double.NaN, Double.NaN);
        Epoch epoch = new Epoch(e, trainLoss, val.loss(), val.error(), (System.nanoTime() - start) / 1e9);
        done.add(epoch);
        if (!epoch.finite()) {
          return new Outcome(Status.DIVERGED, "loss became " + (Double.isNaN(trainLoss) ? "NaN" : "infinite")
              + " in epoch " + e, done, info(net, split));
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (!sink.accept(epoch) && e < epochs) {
          return new Outcome(Status.STOPPED, "stopped after epoch " + e, done, info(net, split));
        }
      }
      return new Outcome(Status.COMPLETE, null, done, info(net, split));
    }
  }

  private static Map<String, Object> info(CnnGraph net, Split split) {
    return Map.of("numFreeParameters", net.parameterCount(), "trainExamples", split.train().rows(),
        "valExamples", split.validation().rows(), "backend", Natives.description());
  }

  @Override
  public String toString() {
    return "cnn (MNIST in " + data.directory() + ")";
  }
}
