package io.hps.cli;

import io.hps.data.MnistCache;
import io.hps.dl4j.CnnTrainer;
import io.hps.dl4j.DenseTrainer;
import io.hps.dl4j.Natives;
import io.hps.trainer.Model;
import io.hps.trainer.SyntheticTrainer;
import io.hps.trainer.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The trainer for each model a setting names, one instance of each per worker JVM, created on first
 * use: a worker that only runs synthetic settings never loads ND4J. Before the first DL4J trainer the
 * native build is chosen and ND4J's thread count set.
 */
final class Trainers implements Function<Model, Trainer> {
  private final MnistCache mnist;
  private final int threads;
  private final PrintWriter log;
  private final SyntheticTrainer synthetic = new SyntheticTrainer();
  private CnnTrainer cnn;
  private DenseTrainer dense;

  private final String device;

  Trainers(Path dataDir, int threads, String device, PrintWriter log) {
    this.mnist = new MnistCache(dataDir, log);
    this.threads = threads;
    this.device = device;
    this.log = log;
  }

  @Override
  public synchronized Trainer apply(Model model) {
    switch (model) {
      case SYNTHETIC:
        return synthetic;
      case CNN:
        startNd4j();
        if (cnn == null) {
          cnn = new CnnTrainer(mnist);
        }
        return cnn;
      case DENSE:
        startNd4j();
        if (dense == null) {
          dense = new DenseTrainer(mnist);
        }
        return dense;
      default:
        throw new AssertionError(model);
    }
  }

  private void startNd4j() {
    if (cnn != null || dense != null) {
      return;
    }
    String natives = Natives.choose();
    int used = Natives.threads(threads);
    log.printf("ND4J: %s natives, %d threads, %s, MNIST in %s%n", natives, used, Natives.pinDevice(device),
        mnist.directory());
    log.flush();
  }
}
