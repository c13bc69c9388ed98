package io.hps.worker;

import io.hps.protocol.Epoch;

/** Shows how a trial is going: a progress bar on a terminal, nothing otherwise. */
public interface Progress {
  /** Shows nothing (logs, tests, workers started by {@code hps run}). */
  Progress NONE = new Progress() {
    @Override
    public void start(String id, int epochs) {}

    @Override
    public void epoch(Epoch epoch) {}

    @Override
    public void end() {}
  };

  void start(String id, int epochs);

  void epoch(Epoch epoch);

  void end();

  /** A bar on standard error when this process has a terminal, else {@link #NONE}. */
  static Progress forTerminal() {
    return System.console() != null ? new ConsoleProgress() : NONE;
  }
}
