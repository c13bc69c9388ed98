package io.hps.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.StopRequest;
import io.hps.space.Params;
import io.hps.study.Claim;
import io.hps.study.StudyDirectory;
import io.hps.study.WorkerQueue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The beats go on through any error of one beat: the JDK's undeclared ones from close(2) too (issue 25). */
class HeartbeatTest {
  @TempDir
  Path root;

  @Test
  void anUndeclaredCheckedExceptionDoesNotEndTheBeats() throws Exception {
    AtomicInteger beats = new AtomicInteger();
    WorkerQueue failing = new WorkerQueue() {
      @Override
      public Optional<Claim> claimNext() {
        return Optional.empty();
      }

      @Override
      public boolean heartbeat(Claim claim) {
        if (beats.incrementAndGet() <= 2) {
          io.hps.study.UndeclaredErrors.throwUnixException("Input/output error"); // as setLastModifiedTime
        }
        return true;
      }

      @Override
      public Optional<StopRequest> report(Claim claim, List<Epoch> epochs) {
        return Optional.empty();
      }

      @Override
      public Publication publish(Claim claim, Result result) {
        return Publication.PUBLISHED;
      }

      @Override
      public boolean handBack(Claim claim) {
        return true;
      }

      @Override
      public void touchFence(Claim claim) {
      }
    };
    Claim claim = new Claim("w1", new Setting("s000001", 1, 0, 0, Instant.now(), new Params(Map.of("lr", 0.1))),
        root.resolve("claimed/w1/s000001.json"), Instant.now());
    StringWriter log = new StringWriter();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    StudyDirectory study = new StudyDirectory(root).create();
    StatusFile status = new StatusFile(study, new WorkerOptions("w1", null, 50, 0, 0, root, 0), Clock.systemUTC());
    try (Heartbeat beat = new Heartbeat(timer, failing, claim, 0.06, status, new PrintWriter(log, true))) {
      long end = System.nanoTime() + 10_000_000_000L;
      while (beats.get() < 5 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(beats.get()).as("beats after two that threw").isGreaterThanOrEqualTo(5);
      assertThat(beat.lost()).isFalse();
    } finally {
      timer.shutdownNow();
    }
    assertThat(log.toString()).contains("failed (UnixException: Input/output error); trying again at the next beat")
        .contains("works again after 2 missed");
  }
}
