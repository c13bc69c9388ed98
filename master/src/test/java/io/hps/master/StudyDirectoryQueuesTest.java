package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.study.Claim;
import io.hps.study.DurableFiles;
import io.hps.study.Quarantine;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.util.List;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suites against the study directory. */
class StudyDirectoryQueuesTest {
  @TempDir
  Path root;

  @Nested
  class MasterSide extends MasterQueueContract {
    @Override
    Queues queues(int retries) throws Exception {
      return new Queues.Files(root, retries);
    }
  }

  @Nested
  class WorkerSide extends WorkerQueueContract {
    @Override
    Queues queues(int retries) throws Exception {
      return new Queues.Files(root, retries);
    }
  }

  /**
   * hps run says a worker process ended: its claims as they were then go back at the next look, without
   * waiting for the lease; a claim file changed since (the restarted worker's, under the same id) stays.
   */
  @Test
  void theClaimsOfAWorkerThatEndedGoBackAtOnceAndOnlyThose() throws Exception {
    Queues.Files q = new Queues.Files(root.resolve("ended"), 2);
    q.propose(0, 0, 2);
    io.hps.study.WorkerQueue w = q.worker("w1");
    Claim first = w.claimNext().orElseThrow();
    Claim second = w.claimNext().orElseThrow();
    q.look();
    q.master.workerEnded("w1", "exit 137");
    Path touched = q.study.claimed().resolve("w1").resolve(second.setting().id() + ".json");
    java.nio.file.Files.setLastModifiedTime(touched, FileTime.fromMillis(
        java.nio.file.Files.getLastModifiedTime(touched).toMillis() + 5000)); // a heartbeat since
    q.look(); // about a second: far from the lease
    Claim again = q.worker("w2").claimNext().orElseThrow();
    assertThat(again.setting().id()).isEqualTo(first.setting().id());
    assertThat(again.setting().attempt()).isEqualTo(2);
    assertThat(again.setting().history()).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("worker w1 ended (exit 137) holding it"));
    assertThat(q.worker("w3").claimNext()).as("the changed claim stays with its worker").isEmpty();
    assertThat(touched).exists();
    assertThat(q.log.toString()).contains(first.setting().id() + " back in pending/ as attempt 2");
  }

  /**
   * Issue 25: a master paused (SIGSTOP) while another took the study over with --force resumes. It must quarantine
   * no result and delete no claim of the new master's settings, and it must stop: whether or not the new master
   * keeps an owner token in master.json (the Python master does not).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void aMasterPausedPastATakeoverStopsAndTouchesNothing(boolean token) throws Exception {
    Queues.Files q = new Queues.Files(root.resolve("takeover-" + token), 2);
    q.master.take(false);
    q.propose(0, 0, 2);
    q.look();
    // While the first master is paused, a second takes the study over, proposes two more settings, and
    // workers claim and publish: two results of the new master's settings and one claim still training.
    FileMasterQueue second = new FileMasterQueue(q.study, Queues.LEASE, 2, q.clock, new PrintWriter(q.log, true));
    second.take(true);
    if (!token) { // as the Python master writes master.json: no owner
      DurableFiles.replace(q.study.master(), new io.hps.protocol.MasterStatus(1, "elsewhere", 1, Queues.START,
          Queues.START, io.hps.protocol.MasterPhase.RUNNING), false);
    }
    second.batches();
    List<io.hps.protocol.Setting> more = List.of(Queues.setting(2), Queues.setting(3), Queues.setting(4));
    second.propose(new io.hps.protocol.Batch(1, 1, q.clock.instant(), 0, more));
    io.hps.study.WorkerQueue w = q.worker("w1");
    for (int i = 0; i < 5; i++) {
      Claim c = w.claimNext().orElseThrow();
      if (!c.setting().id().equals("s000004")) {
        w.publish(c, q.result(c, 0.1));
      }
    }
    // The first master resumes.
    assertThatThrownBy(q::look).isInstanceOf(MasterQueue.Replaced.class).hasMessageContaining("took this study"
        + " over");
    assertThat(Quarantine.list(q.study)).as("nothing quarantined").isEmpty();
    assertThat(StudyDirectory.list(q.study.results())).hasSize(4);
    assertThat(q.study.claimed().resolve("w1").resolve("s000004.json")).as("the running claim").exists();
    assertThat(second.look(q.clock.instant().plusSeconds(1)).accepted()).hasSize(4);
  }

  /**
   * Issue 25: an NTP step (or a suspended VM catching up) moves the master's wall clock by hours. Leases are
   * measured on its monotonic clock, so no claim expires for it; a claim silent for a real lease still does.
   */
  @Test
  void aStepOfTheWallClockExpiresNoLease() throws Exception {
    StudyDirectory study = new StudyDirectory(root.resolve("clock")).create();
    java.time.Instant[] wall = {Queues.START};
    long[] monotonic = {0};
    java.time.Clock clock = new java.time.Clock() {
      @Override
      public java.time.Instant instant() {
        return wall[0];
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    java.io.StringWriter log = new java.io.StringWriter();
    FileMasterQueue master = new FileMasterQueue(study, Queues.LEASE, 2, clock, () -> monotonic[0],
        new PrintWriter(log, true));
    master.take(false);
    master.propose(new io.hps.protocol.Batch(1, 0, wall[0], 0, List.of(Queues.setting(0))));
    Claim claim = new io.hps.study.FileWorkerQueue(study, "w1", clock).claimNext().orElseThrow();
    java.nio.file.Path held = study.claimed().resolve("w1").resolve(claim.setting().id() + ".json");
    master.look(wall[0]);
    for (java.time.Duration step : List.of(java.time.Duration.ofHours(2), java.time.Duration.ofHours(-4),
        java.time.Duration.ofHours(5))) {
      wall[0] = wall[0].plus(step);
      monotonic[0] += 1_000_000_000L; // one real second
      master.look(wall[0]);
      assertThat(held).as("after a step of %s", step).exists();
    }
    assertThat(StudyDirectory.list(study.pending())).isEmpty();
    monotonic[0] += Queues.LEASE.toNanos() + 1_000_000_000L; // a real lease of silence
    master.look(wall[0]);
    assertThat(held).doesNotExist();
    assertThat(StudyDirectory.readSetting(study.pending().resolve("s000000.json")).attempt()).isEqualTo(2);
    assertThat(log.toString()).contains("no heartbeat for 14 s"); // the three seconds of steps, and the lease
  }
}
