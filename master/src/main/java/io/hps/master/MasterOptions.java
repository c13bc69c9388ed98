package io.hps.master;

/**
 * How the master runs: how often it scans when nothing happens, and whether it may take over a study
 * whose {@code master.json} looks alive (after a crash on another host, say).
 */
public record MasterOptions(long pollMillis, boolean force) {
  public MasterOptions {
    if (pollMillis < 1) {
      throw new IllegalArgumentException("poll must be >= 1 ms");
    }
  }

  public static MasterOptions defaults() {
    return new MasterOptions(50, false);
  }
}
