package io.hps.synthetic;

import io.hps.space.Params;
import io.hps.trainer.EpochLoop;
import io.hps.trainer.EpochSink;
import io.hps.trainer.Outcome;
import io.hps.trainer.Scores;
import io.hps.trainer.Trainer;
import io.hps.trainer.TrainerParameter;
import io.hps.trainer.TrainerParameters;
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

  /**
   * What it reads: the exercise CNN's parameters, so the course's spaces run on it too ({@code valSize},
   * {@code dropout} and {@code momentum} are accepted and change nothing), and {@code epochSeconds}.
   */
  static final TrainerParameters PARAMETERS = TrainerParameters.of(
      TrainerParameter.real("lr", 0, Double.POSITIVE_INFINITY, 0.05, "learning rate").aboveMin(),
      TrainerParameter.real("m", 0, 1, 0.9, "momentum"),
      TrainerParameter.integer("bs", 1, 1_000_000, 100L, "batch size"),
      TrainerParameter.integer("nf", 1, 100_000, 32L, "number of filters"),
      TrainerParameter.integer("trainSize", 1, 1_000_000, 5000L, "training examples (more learn faster per epoch)"),
      TrainerParameter.integer("valSize", 1, 1_000_000, 10000L, "validation examples (no effect)"),
      TrainerParameter.real("dropout", 0, 1, 0.5, "dropout (no effect)").belowMax(),
      TrainerParameter.choice("momentum", java.util.List.of("nesterov", "classic"), "nesterov",
          "kind of momentum (no effect)"),
      TrainerParameter.real("epochSeconds", 0, 3600, 0.0, "real seconds each epoch takes"));

  @Override
  public String model() {
    return "synthetic";
  }

  @Override
  public TrainerParameters parameters() {
    return PARAMETERS;
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws Exception {
    Params p = trial.params();
    double lr = PARAMETERS.getDouble(p, "lr");
    double m = PARAMETERS.getDouble(p, "m");
    int bs = PARAMETERS.getInt(p, "bs");
    int nf = PARAMETERS.getInt(p, "nf");
    double delay = PARAMETERS.getDouble(p, "epochSeconds");
    long mix = trial.seed() * 0x9E3779B97F4A7C15L ^ Double.doubleToLongBits(lr) * 31
        ^ Double.doubleToLongBits(m) * 17 ^ bs * 131L ^ nf * 7919L;
    long fingerprint = mix;
    double step = lr / (1 - 0.9 * m);
    double rate = Math.min(3, 2.5 * step * Math.sqrt(100.0 / bs) * PARAMETERS.getInt(p, "trainSize") / 5000);
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
        // At most a line: a state file of gigabytes (or a FIFO) is no state of this trainer's.
        String[] state = io.hps.study.DurableFiles.readSmall(directory.resolve(STATE), 256).trim().split(" ");
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
