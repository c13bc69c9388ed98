package io.hps.synthetic;

import io.hps.protocol.Epoch;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Trainer;
import io.hps.trainer.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic learning curves shaped like the exercise CNN's, from {@code lr}, {@code m}, {@code bs},
 * {@code nf}, {@code epochs} and {@code seed}: the error falls each epoch by a fraction that grows with
 * the effective step {@code lr / (1 - 0.9 m)} and with smaller batches; more filters lower the floor;
 * steps above 1.2 raise it (dying units) and above 4 the loss becomes NaN at epoch 2. An optional
 * {@code epochSeconds} delay makes each epoch take real time.
 */
public final class SyntheticTrainer implements Trainer {
  static final double CHANCE = 0.9;

  @Override
  public String model() {
    return "synthetic";
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws InterruptedException {
    Params p = trial.params();
    double lr = p.getDouble("lr", 0.05);
    double m = p.getDouble("m", 0.9);
    int bs = p.getInt("bs", 100);
    int nf = p.getInt("nf", 32);
    int epochs = trial.epochs();
    double delay = p.getDouble("epochSeconds", 0);
    if (lr <= 0 || m < 0 || m > 1 || bs < 1 || nf < 1 || epochs < 1 || delay < 0) {
      throw new IllegalArgumentException("synthetic trainer needs lr > 0, m in [0, 1], bs, nf, epochs >= 1: " + p);
    }
    long mix = trial.seed() * 0x9E3779B97F4A7C15L ^ Double.doubleToLongBits(lr) * 31
        ^ Double.doubleToLongBits(m) * 17 ^ bs * 131L ^ nf * 7919L;
    SplittableRandom noise = new SplittableRandom(mix);
    double step = lr / (1 - 0.9 * m);
    double rate = Math.min(3, 2.5 * step * Math.sqrt(100.0 / bs) * p.getDouble("trainSize", 5000) / 5000);
    double floor = 0.006 + 0.25 / Math.pow(nf, 0.8) + (step > 1.2 ? Math.min(0.85, 0.4 * (step - 1.2)) : 0);
    floor = Math.min(CHANCE, floor);
    long start = System.nanoTime();
    List<Epoch> done = new ArrayList<>();
    long last = start;
    for (int e = 1; e <= epochs; e++) {
      if (delay > 0) {
        Thread.sleep((long) (delay * 1000));
      }
      long now = System.nanoTime();
      double elapsed = (now - start) / 1e9;
      double seconds = (now - last) / 1e9; // all of it "training": the curve is made up, there is no validation
      last = now;
      Epoch epoch;
      boolean diverged = step > 4 && e >= 2;
      if (diverged) {
        epoch = new Epoch(e, Double.NaN, Double.NaN, CHANCE, elapsed, seconds, 0.0, null);
      } else {
        double excess = (CHANCE - floor) * Math.exp(-rate * e);
        double valError = clamp(floor + excess + 0.002 * noise.nextGaussian() * Math.sqrt(floor));
        double trainLoss = 2.3 * excess / CHANCE + 0.6 * floor + 0.01 * Math.abs(noise.nextGaussian()) / e;
        double valLoss = trainLoss * 1.05 + 0.0015 * e * Math.sqrt(nf / 32.0);
        epoch = new Epoch(e, trainLoss, valLoss, valError, elapsed, seconds, 0.0, null);
      }
      done.add(epoch);
      if (diverged) {
        return new Outcome(Status.DIVERGED, "loss became NaN at epoch " + e, done, Map.of());
      }
      if (!sink.accept(epoch) && e < epochs) {
        return new Outcome(Status.STOPPED, "stopped after epoch " + e, done, Map.of());
      }
    }
    return new Outcome(Status.COMPLETE, null, done, Map.of());
  }

  private static double clamp(double error) {
    return Math.max(0.0005, Math.min(1, error));
  }
}
