package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.study.Claim;
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
}
