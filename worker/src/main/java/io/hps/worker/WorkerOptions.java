package io.hps.worker;

import io.hps.protocol.Ids;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a worker runs: its id (a safe file name, unique in the study), the device it is pinned to (null
 * on CPU), how often it polls when idle, after how many idle seconds it ends (0: never) and after how
 * many settings (0: no limit), and what its trainers get: the data directory and a thread count (0: their
 * default), and how long it keeps trying through I/O errors before it gives up ({@code ioPatience}).
 */
public record WorkerOptions(String id, String device, long pollMillis, double idleExitSeconds, int maxSettings,
    Path dataDirectory, int threads, java.time.Duration ioPatience) {
  public WorkerOptions {
    Ids.check("worker id", id);
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(ioPatience, "ioPatience");
    if (pollMillis < 1 || idleExitSeconds < 0 || maxSettings < 0 || threads < 0) {
      throw new IllegalArgumentException("poll must be >= 1 ms; idle-exit, max-settings and threads >= 0");
    }
  }

  /** Options with the default I/O patience. */
  public WorkerOptions(String id, String device, long pollMillis, double idleExitSeconds, int maxSettings,
      Path dataDirectory, int threads) {
    this(id, device, pollMillis, idleExitSeconds, maxSettings, dataDirectory, threads,
        io.hps.study.Patience.DEFAULT);
  }

  /** A default worker id, {@code <host>-<pid>}, unique across the machines sharing a study. */
  public static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9_-]", "-");
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
