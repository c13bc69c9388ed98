package io.hps.study;

/**
 * This machine as the study files name it: the host name written into master.json and workers' status files,
 * and whether a process named there by pid still runs (only meaningful when the file names this host).
 */
public final class ThisHost {
  private static final String NAME = java.lang.management.ManagementFactory.getRuntimeMXBean().getName()
      .replaceFirst("^\\d+@", "");

  private ThisHost() {}

  /** The host name the JVM reports (as in {@code 4242@node7}: {@code node7}). */
  public static String name() {
    return NAME;
  }

  /** Whether process {@code pid} of this host still runs. */
  public static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
