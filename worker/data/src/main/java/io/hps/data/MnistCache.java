package io.hps.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * MNIST loaded once per worker JVM (fetched into the data directory on first use) and split per setting:
 * the first {@code trainSize} training images for training, the last {@code valSize} for validation.
 */
public final class MnistCache {
  private final Path dir;
  private final PrintWriter log;
  private Dataset all;

  public MnistCache(Path dir, PrintWriter log) {
    this.dir = dir;
    this.log = log;
  }

  public synchronized Split split(int trainSize, int valSize) throws InterruptedException {
    try {
      if (all == null) {
        if (Mnist.find(dir, Mnist.TRAIN_IMAGES).isEmpty() || Mnist.find(dir, Mnist.TRAIN_LABELS).isEmpty()) {
          MnistFetch.fetch(dir, log);
        }
        all = Mnist.training(dir, 0, Mnist.trainingCount(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (trainSize < 1 || valSize < 1 || trainSize + valSize > all.rows()) {
      throw new IllegalArgumentException("trainSize " + trainSize + " + valSize " + valSize + " must be at most the "
          + all.rows() + " training images in " + dir);
    }
    return new Split(all.slice(0, trainSize), all.slice(all.rows() - valSize, all.rows()));
  }

  public Path directory() {
    return dir;
  }
}
