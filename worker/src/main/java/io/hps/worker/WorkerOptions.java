package io.hps.worker;

import io.hps.protocol.Ids;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/**
 * How a worker runs: its id (a safe file name, unique in the study), the device it is pinned to (null
 * on CPU), how often it polls when idle, after how many idle seconds it ends (0: never) and after how
 * many settings (0: no limit).
 */
public record WorkerOptions(String id, String device, long pollMillis, double idleExitSeconds, int maxSettings) {
  public WorkerOptions {
    Ids.check("worker id", id);
    if (pollMillis < 1 || idleExitSeconds < 0 || maxSettings < 0) {
      throw new IllegalArgumentException("poll must be >= 1 ms; idle-exit and max-settings >= 0");
    }
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

  static String hostName() {
    return ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
  }
}
