package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link MasterQueue} promises the master, checked against the study directory and memory. */
abstract class MasterQueueContract {
  abstract Queues queues(int retries) throws Exception;

  @Test
  void aRestartedMasterFindsEveryBatchInOrder() throws Exception {
    Queues q = queues(2);
    q.master().take(false);
    q.propose(0, 0, 2);
    q.propose(1, 2, 5);
    List<Batch> batches = q.restarted().batches();
    assertThat(batches).extracting(Batch::batch).containsExactly(0, 1);
    assertThat(batches.get(1).settings()).extracting(Setting::id).containsExactly("s000002", "s000003", "s000004");
  }

  @Test
  void eachResultIsAcceptedOnce() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 3);
    WorkerQueue w = q.worker("w");
    for (int i = 0; i < 3; i++) {
      Claim c = w.claimNext().orElseThrow();
      w.publish(c, q.result(c, 0.1 * (i + 1)));
    }
    List<Result> accepted = q.accepted(4);
    assertThat(accepted).extracting(Result::id).containsExactly("s000000", "s000001", "s000002");
    assertThat(q.accepted(3)).isEmpty();
  }

  @Test
  void anExpiredLeaseRequeuesTheSettingAsItsNextAttemptWithTheReason() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    q.worker("crashed").claimNext().orElseThrow();
    q.look();
    q.clock.advance(Duration.ofSeconds(7));
    q.look();
    assertThat(q.worker("early").claimNext()).as("not expired after 9 s").isEmpty();
    q.clock.advance(Duration.ofSeconds(2));
    q.look();
    Claim again = q.worker("next").claimNext().orElseThrow();
    assertThat(again.setting().attempt()).isEqualTo(2);
    assertThat(again.setting().history()).singleElement().satisfies(a -> {
      assertThat(a.worker()).isEqualTo("crashed");
      assertThat(a.reason()).contains("lease expired").contains("crashed");
    });
  }

  @Test
  void pastTheRetryBudgetTheSettingFailsWithEveryAttemptsReason() throws Exception {
    Queues q = queues(1);
    q.propose(0, 0, 1);
    for (String worker : List.of("crashed-1", "crashed-2")) {
      q.worker(worker).claimNext().orElseThrow();
      q.look();
      q.clock.advance(Queues.LEASE.plusSeconds(1));
      q.look();
    }
    assertThat(q.worker("third").claimNext()).isEmpty();
    assertThat(q.accepted(3)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.reason()).contains("retry budget of 1 spent").contains("crashed-1").contains("crashed-2");
    });
  }

  @Test
  void aResultThatDoesNotMatchItsSettingIsQuarantinedAndTheSettingRunsAgain() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue w = q.worker("liar");
    Claim claim = w.claimNext().orElseThrow();
    Setting s = claim.setting();
    Setting other = new Setting(s.schema(), s.id(), s.point(), s.repeat(), s.batch(), s.attempt(), s.created(),
        s.params().with("lr", 0.5), s.history());
    Result forged = Result.of(other, Status.COMPLETE, null, "liar", claim.claimedAt(), q.clock.instant(),
        List.of(new io.hps.protocol.Epoch(1, 0, 0, 0.0, 1)), Map.of());
    w.publish(claim, forged);
    assertThat(q.accepted(4)).isEmpty();
    assertThat(q.quarantined()).singleElement().asString().contains("s000000").contains("lr");
    Claim again = q.worker("honest").claimNext().orElseThrow();
    assertThat(again.setting().attempt()).isEqualTo(2);
    assertThat(again.setting().params()).isEqualTo(s.params());
    assertThat(again.setting().history().get(0).reason()).contains("its result was quarantined");
  }

  @Test
  void runningSettingsAreReportedUntilAStopIsRequestedOrTheirResultAccepted() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 2);
    WorkerQueue w1 = q.worker("w1");
    WorkerQueue w2 = q.worker("w2");
    Claim c1 = w1.claimNext().orElseThrow();
    Claim c2 = w2.claimNext().orElseThrow();
    List<io.hps.protocol.Epoch> one = List.of(new io.hps.protocol.Epoch(1, 1, 1, 0.5, 1));
    w1.report(c1, one);
    w2.report(c2, one);
    var running = q.look().running();
    assertThat(running).extracting(io.hps.protocol.Progress::id).containsExactlyInAnyOrder("s000000", "s000001");
    assertThat(running).allSatisfy(p -> assertThat(p.plannedEpochs()).isEqualTo(3));
    q.master().requestStop(running.stream().filter(p -> p.id().equals("s000000")).findFirst().orElseThrow(),
        "stop", q.clock.instant());
    assertThat(q.look().running()).extracting(io.hps.protocol.Progress::id).containsExactly("s000001");
    w2.publish(c2, q.result(c2, 0.4));
    q.look();
    assertThat(q.look().running()).isEmpty();
  }

  @Test
  void closingRecordsThePhase() throws Exception {
    Queues q = queues(2);
    q.master().take(false);
    q.master().beat();
    q.master().close(io.hps.protocol.MasterPhase.FINISHED);
    if (q instanceof Queues.Memory m) {
      assertThat(m.queue.phase()).contains(io.hps.protocol.MasterPhase.FINISHED);
    } else if (q instanceof Queues.Files f) {
      assertThat(f.study.readMaster().orElseThrow().phase()).isEqualTo(io.hps.protocol.MasterPhase.FINISHED);
    }
  }
}
