package io.hps.cli;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.space.Params;
import io.hps.study.Claim;
import io.hps.study.DurableFiles;
import io.hps.study.FileWorkerQueue;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Claim and publish throughput with many workers on one study directory: {@code workers} threads of this JVM,
 * each a worker with a {@link FileWorkerQueue} of its own (its own id and claim folder, as a worker process
 * has), claim pending settings and publish a zero-cost result for each until none is left. Threads stand in
 * for processes: a thousand JVMs do not fit on a small machine, and the files and the races over them are
 * the same.
 */
final class ClaimBench {
  private ClaimBench() {}

  /** What one run gave: settings published per second, and failed claim attempts per setting. */
  record Run(int workers, int settings, double seconds, double perSecond) {}

  static Run run(Path dir, int workers, int settings) throws Exception {
    StudyDirectory study = new StudyDirectory(dir).create();
    Instant t = Instant.now();
    for (int i = 0; i < settings; i++) {
      String id = io.hps.protocol.Ids.setting(i);
      DurableFiles.writeJson(study.pending().resolve(id + ".json"), new Setting(id, i, 0, 0, t,
          new Params(Map.of("model", "synthetic", "lr", 0.01 + i * 1e-6, "epochs", 1L))), false);
    }
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger published = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String worker = "w" + w;
      FileWorkerQueue queue = new FileWorkerQueue(study, worker, Clock.systemUTC());
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (Optional<Claim> c; (c = queue.claimNext()).isPresent(); ) {
            Setting s = c.get().setting();
            Instant now = Instant.now();
            Result r = Result.of(s, Status.COMPLETE, null, worker, c.get().claimedAt(), now,
                List.of(new Epoch(1, 0.5, 0.5, 0.5, 0.001)), Map.of());
            if (queue.publish(c.get(), r) == WorkerQueue.Publication.PUBLISHED) {
              published.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "claimer-" + w);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) {
      throw new IOException("a claiming thread failed: " + failure.get(), failure.get());
    }
    if (published.get() != settings) {
      throw new IOException(published.get() + " of " + settings + " settings published: the queue lost some");
    }
    long results = Files.list(study.results()).count();
    if (results != settings) {
      throw new IOException(results + " result files for " + settings + " settings");
    }
    return new Run(workers, settings, seconds, settings / seconds);
  }
}
