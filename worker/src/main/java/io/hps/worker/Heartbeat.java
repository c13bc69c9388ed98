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

  /** Beats missed in a row; the lease allows several (a beat every sixth of it). */
  private int missed;

  Heartbeat(ScheduledExecutorService timer, WorkerQueue queue, Claim claim, double seconds, StatusFile status,
      java.io.PrintWriter log) {
    long period = Math.max(10, (long) (seconds * 1000));
    String who = "worker " + claim.worker() + ": heartbeat of " + claim.setting().id();
    task = timer.scheduleAtFixedRate(() -> {
      try {
        if (!lost && !queue.heartbeat(claim)) {
          lost = true;
        }
        status.touch();
        if (missed > 0) {
          log.printf("%s works again after %d missed%n", who, missed);
          missed = 0;
        }
      } catch (Exception e) {
        // The next beat tries again: the lease allows several misses; the first of a run is logged. Any
        // exception, the JDK's undeclared sun.nio.fs.UnixException from close(2) too: one escaping would end
        // the scheduled beats without a word, and the worker would train on after its lease expired.
        if (missed++ == 0) {
          log.printf("%s failed (%s); trying again at the next beat%n", who, e.getClass().getSimpleName() + ": "
              + e.getMessage());
        }
      } catch (Error e) {
        // The beats cannot go on (out of memory, a linkage error): the setting is given up, not trained on.
        lost = true;
        log.printf("%s stopped (%s); giving the setting up%n", who, e);
        throw e;
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
