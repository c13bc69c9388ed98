package io.hps.worker;

import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Touches a claim file every heartbeat interval while a setting trains. When the claim file is gone
 * the master has taken the setting back (lease expired): {@link #lost()} turns true for good.
 */
final class Heartbeat implements AutoCloseable {
  private final ScheduledFuture<?> task;
  private volatile boolean lost;

  Heartbeat(ScheduledExecutorService timer, WorkerQueue queue, Claim claim, double seconds, StatusFile status) {
    long period = Math.max(10, (long) (seconds * 1000));
    task = timer.scheduleAtFixedRate(() -> {
      try {
        if (!lost && !queue.heartbeat(claim)) {
          lost = true;
        }
        status.touch();
      } catch (IOException | RuntimeException e) {
        // a transient I/O error: the next beat tries again, the lease allows several misses
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  boolean lost() {
    return lost;
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
