package io.hps.dl4j;

import io.hps.data.Split;
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
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The exercise CNN on MNIST: conv 5x5 ({@code nf} filters, ReLU) - max-pool 2x2 - conv 5x5 ({@code nf},
 * ReLU) - max-pool 2x2 - dropout 0.5 - dense 256 ReLU - dropout 0.5 - dense 10 softmax, Glorot-uniform
 * weights, negative log-likelihood, SGD with Nesterov ({@code momentum: "nesterov"}, default) or
 * classic momentum {@code m}, learning rate {@code lr}, batch size {@code bs}. Trains on the first
 * {@code trainSize} (5000) training images, validates on the last {@code valSize} (10000). Checkpoints hold
 * the weights and velocities ({@value #STATE}); a resumed run draws its minibatch order and dropout masks
 * from a stream seeded by the seed and the epoch it resumes after.
 */
public final class CnnTrainer implements Trainer {
  /** The checkpoint's file: weights and momentum velocities. */
  static final String STATE = "cnn-state.bin";

  @Override
  public String model() {
    return "cnn";
  }

  /** What it reads, with the exercise's defaults (NF 32, LR 0.05, M 0.9, BS 100, 5000 / 10000 images). */
  static final TrainerParameters PARAMETERS = TrainerParameters.of(
      TrainerParameter.integer("nf", 1, 4096, 32L, "number of filters per convolution"),
      TrainerParameter.real("lr", 0, Double.POSITIVE_INFINITY, 0.05, "learning rate").aboveMin(),
      TrainerParameter.real("m", 0, 1, 0.9, "momentum"),
      TrainerParameter.integer("bs", 1, 60_000, 100L, "batch size"),
      TrainerParameter.real("dropout", 0, 1, 0.5, "dropout probability").belowMax(),
      TrainerParameter.choice("momentum", java.util.List.of("nesterov", "classic"), "nesterov",
          "Nesterov (as Lasagne) or classic momentum"),
      TrainerParameter.integer("trainSize", 1, 60_000, 5000L, "training images (the first of MNIST's training set)"),
      TrainerParameter.integer("valSize", 1, 60_000, 10_000L, "validation images (the last of MNIST's training set)"));

  @Override
  public TrainerParameters parameters() {
    return PARAMETERS;
  }

  @Override
  public Outcome train(Trial trial, EpochSink sink) throws Exception {
    Nd4jStart.once(trial);
    Params p = trial.params();
    int nf = PARAMETERS.getInt(p, "nf");
    double lr = PARAMETERS.getDouble(p, "lr");
    double m = PARAMETERS.getDouble(p, "m");
    int bs = PARAMETERS.getInt(p, "bs");
    int epochs = trial.epochs();
    long seed = trial.seed();
    double dropout = PARAMETERS.getDouble(p, "dropout");
    String momentum = PARAMETERS.getString(p, "momentum");
    Split split = Mnists.of(trial).split(PARAMETERS.getInt(p, "trainSize"), PARAMETERS.getInt(p, "valSize"));
    SplittableRandom random = new SplittableRandom(seed);
    boolean nesterov = momentum.equals("nesterov");
    try (CnnGraph net = new CnnGraph(nf, dropout, random)) {
      Map<String, Object> info = new java.util.LinkedHashMap<>(Map.of("numFreeParameters", net.parameterCount(),
          "trainExamples", split.train().rows(), "valExamples", split.validation().rows(), "backend",
          Natives.description(), "framework", "dl4j", "frameworkVersion", Natives.dl4jVersion(), "execution",
          CnnGraph.execution()));
      if (bs > split.train().rows()) {
        info.put("batchNote", "bs " + bs + " is more than the " + split.train().rows() + " training images: every step"
            + " used all of them");
      }
      return EpochLoop.run(trial, new EpochLoop.Network() {
        /** Minibatch order and dropout masks; a resumed run draws them from a stream of its own epoch. */
        private SplittableRandom draws = random;

        @Override
        public int warmUp() {
          // Minibatches with learning rate 0 (the velocities stay 0, so no weight moves) until a step takes no
          // less time than the one before: the JIT and the native library's caches are then warm.
          io.hps.data.Dataset batch = split.train().slice(0, Math.min(bs, split.train().rows()));
          SplittableRandom own = new SplittableRandom(0);
          long previous = Long.MAX_VALUE;
          int steps = 0;
          while (steps < 30) {
            long t = System.nanoTime();
            net.trainEpoch(batch, bs, 0, m, nesterov, own);
            t = System.nanoTime() - t;
            steps++;
            if (steps >= 5 && t > 0.9 * previous) {
              break;
            }
            previous = t;
          }
          net.evaluate(split.validation().slice(0, Math.min(CnnGraph.VALIDATION_BATCH, split.validation().rows())));
          return steps;
        }

        @Override
        public double trainEpoch() {
          return net.trainEpoch(split.train(), bs, lr, m, nesterov, draws);
        }

        @Override
        public void save(Path directory) throws IOException {
          net.save(directory.resolve(STATE));
        }

        @Override
        public void restore(Path directory, int done) throws IOException {
          net.restore(directory.resolve(STATE));
          draws = new SplittableRandom(seed * 1_000_003L + done);
        }

        @Override
        public Scores validate() {
          return net.evaluate(split.validation());
        }
      }, sink, info);
    }
  }
}
