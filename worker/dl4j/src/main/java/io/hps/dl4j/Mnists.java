package io.hps.dl4j;

import io.hps.data.MnistCache;
import io.hps.trainer.Trial;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** MNIST loaded once per data directory and worker JVM, shared by the CNN and dense trainers. */
final class Mnists {
  private static final Map<Path, MnistCache> CACHES = new HashMap<>();

  private Mnists() {}

  /** The cache of the trial's data directory; fetching logs go to the trial's log. */
  static synchronized MnistCache of(Trial trial) {
    return CACHES.computeIfAbsent(trial.dataDirectory().toAbsolutePath().normalize(),
        dir -> new MnistCache(dir, new PrintWriter(new LineWriter(trial), true)));
  }

  /** A writer that hands whole lines to a trial's log. */
  private static final class LineWriter extends Writer {
    private final Trial trial;
    private final StringBuilder line = new StringBuilder();

    LineWriter(Trial trial) {
      this.trial = trial;
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (chars[i] == '\n') {
          trial.log(line.toString());
          line.setLength(0);
        } else {
          line.append(chars[i]);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
