package io.hps.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a body with a shutdown hook (SIGTERM, SIGINT) that asks it to stop and waits for it to finish
 * cleanly, so that a worker can hand its setting back and a master can stop between two steps.
 */
final class Shutdown {
  private Shutdown() {}

  static int whileRunning(StopAction stop, Callable<Integer> body) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        stop.stop();
        done.await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        Thread.currentThread().interrupt();
      }
    }, "hps-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return body.call();
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it sees done and returns
      }
    }
  }

  /** What the hook does first. */
  interface StopAction {
    void stop() throws Exception;
  }
}
