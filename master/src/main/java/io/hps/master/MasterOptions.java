package io.hps.master;

/**
 * How the master runs: how often it scans when nothing happens, and whether it may take over a study
 * whose {@code master.json} looks alive (after a crash on another host, say).
 */
public record MasterOptions(long pollMillis, boolean force, java.time.Duration ioPatience) {
  public MasterOptions {
    if (pollMillis < 1) {
      throw new IllegalArgumentException("poll must be >= 1 ms");
    }
    java.util.Objects.requireNonNull(ioPatience, "ioPatience");
  }

  public MasterOptions(long pollMillis, boolean force) {
    this(pollMillis, force, io.hps.study.Patience.DEFAULT);
  }

  public static MasterOptions defaults() {
    return new MasterOptions(50, false);
  }
}
