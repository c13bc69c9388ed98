package io.hps.synthetic;

import io.hps.space.Params;
import io.hps.trainer.EpochLoop;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Scores;
import io.hps.trainer.Trainer;
import io.hps.trainer.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic learning curves shaped like the exercise CNN's, from {@code lr}, {@code m}, {@code bs},
 * {@code nf}, {@code epochs} and {@code seed}: the error falls each epoch by a fraction that grows with
 * the effective step {@code lr / (1 - 0.9 m)} and with smaller batches; more filters lower the floor;
 * steps above 1.2 raise it (dying units) and above 4 the loss becomes NaN at epoch 2. An optional
 * {@code epochSeconds} delay makes each epoch take real time. It saves and resumes checkpoints (the epoch
 * reached), so a promoted setting's curve continues its parent's.
 */
public final class SyntheticTrainer implements Trainer {
  static final double CHANCE = 0.9;

  @Override
  public String model() {
    return "synthetic";
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws Exception {
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
    long fingerprint = mix;
    double step = lr / (1 - 0.9 * m);
    double rate = Math.min(3, 2.5 * step * Math.sqrt(100.0 / bs) * p.getDouble("trainSize", 5000) / 5000);
    double floor = 0.006 + 0.25 / Math.pow(nf, 0.8) + (step > 1.2 ? Math.min(0.85, 0.4 * (step - 1.2)) : 0);
    floor = Math.min(CHANCE, floor);
    double finalFloor = floor;
    return EpochLoop.run(trial, new EpochLoop.Network() {
      private SplittableRandom noise = new SplittableRandom(fingerprint);
      private int epoch;
      private double valLoss;
      private double valError;

      /** The whole made-up epoch: the delay is its "training", validation takes no time. */
      @Override
      public double trainEpoch() throws InterruptedException {
        epoch++;
        if (delay > 0) {
          Thread.sleep((long) (delay * 1000));
        }
        if (step > 4 && epoch >= 2) {
          return Double.NaN; // diverged
        }
        double excess = (CHANCE - finalFloor) * Math.exp(-rate * epoch);
        valError = clamp(finalFloor + excess + 0.002 * noise.nextGaussian() * Math.sqrt(finalFloor));
        double trainLoss = 2.3 * excess / CHANCE + 0.6 * finalFloor + 0.01 * Math.abs(noise.nextGaussian()) / epoch;
        valLoss = trainLoss * 1.05 + 0.0015 * epoch * Math.sqrt(nf / 32.0);
        return trainLoss;
      }

      @Override
      public Scores validate() {
        return new Scores(valLoss, valError);
      }

      /** The state is the epoch reached (and the setting it belongs to); the noise goes on from there. */
      @Override
      public void save(Path directory) throws IOException {
        Files.writeString(directory.resolve(STATE), fingerprint + " " + epoch + "\n");
      }

      @Override
      public void restore(Path directory, int epochs) throws IOException {
        String[] state = Files.readString(directory.resolve(STATE)).trim().split(" ");
        if (state.length != 2 || !state[0].equals(Long.toString(fingerprint)) || !state[1].equals(
            Integer.toString(epochs))) {
          throw new IOException(STATE + " is not this setting's state after " + epochs + " epochs");
        }
        epoch = epochs;
        noise = new SplittableRandom(fingerprint + epochs);
      }
    }, sink, Map.of());
  }

  /** The checkpoint's one file: the setting's fingerprint and the epoch reached. */
  static final String STATE = "synthetic-state.txt";

  private static double clamp(double error) {
    return Math.max(0.0005, Math.min(1, error));
  }
}
