package io.hps.worker;

import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Touches a claim file every heartbeat interval while a setting trains. When the claim file is gone
 * the master has taken the setting back (lease expired): {@link #lost()} turns true for good.
 */
final class Heartbeat implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private volatile boolean lost;

  Heartbeat(WorkerQueue queue, Claim claim, double seconds, StatusFile status) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heartbeat-" + claim.setting().id());
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(10, (long) (seconds * 1000));
    timer.scheduleAtFixedRate(() -> {
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
    timer.shutdownNow();
  }
}
