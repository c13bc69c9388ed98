package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.hps.protocol.Epoch;
import io.hps.protocol.Progress;
import io.hps.protocol.Result;
import io.hps.protocol.StopRequest;
import io.hps.study.Claim;
import io.hps.study.WorkerQueue;
import io.hps.study.WorkerQueue.Publication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link WorkerQueue} promises a worker, checked against the study directory and memory. */
abstract class WorkerQueueContract {
  abstract Queues queues(int retries) throws Exception;

  @Test
  void everySettingIsClaimedOnceOldestFirst() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 5);
    WorkerQueue a = q.worker("a");
    WorkerQueue b = q.worker("b");
    List<String> claimed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      a.claimNext().ifPresent(c -> claimed.add(c.setting().id()));
      b.claimNext().ifPresent(c -> claimed.add(c.setting().id()));
    }
    assertThat(claimed).containsExactly("s000000", "s000001", "s000002", "s000003", "s000004");
    assertThat(a.claimNext()).isEmpty();
  }

  @Test
  void aPublishedResultIsAcceptedAndASecondPublicationIsRefused() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue w = q.worker("w");
    Claim claim = w.claimNext().orElseThrow();
    assertThat(w.publish(claim, q.result(claim, 0.3))).isEqualTo(Publication.PUBLISHED);
    assertThat(w.publish(claim, q.result(claim, 0.1))).isNotEqualTo(Publication.PUBLISHED);
    assertThat(q.accepted(2)).singleElement().satisfies(r -> assertThat(r.objective()).contains(0.3));
  }

  @Test
  void aWorkerWhoseLeaseExpiredIsFencedAndItsResultDiscarded() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue slow = q.worker("slow");
    Claim late = slow.claimNext().orElseThrow();
    q.look();
    q.clock.advance(Queues.LEASE.plusSeconds(1));
    q.look();
    assertThat(slow.heartbeat(late)).isFalse();
    WorkerQueue fast = q.worker("fast");
    Claim again = fast.claimNext().orElseThrow();
    assertThat(again.setting().attempt()).isEqualTo(2);
    assertThat(slow.publish(late, q.result(late, 0.1))).isEqualTo(Publication.FENCED);
    assertThat(fast.publish(again, q.result(again, 0.2))).isEqualTo(Publication.PUBLISHED);
    assertThat(q.accepted(2)).singleElement().satisfies(r -> {
      assertThat(r.worker()).isEqualTo("fast");
      assertThat(r.objective()).contains(0.2);
    });
  }

  @Test
  void heartbeatsKeepTheLeaseAlive() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue w = q.worker("w");
    Claim claim = w.claimNext().orElseThrow();
    for (int i = 0; i < 6; i++) {
      q.clock.advance(Duration.ofSeconds(5));
      assertThat(w.heartbeat(claim)).isTrue();
      q.look();
    }
    assertThat(w.publish(claim, q.result(claim, 0.2))).isEqualTo(Publication.PUBLISHED);
  }

  @Test
  void aSettingHandedBackIsClaimedAgainAsTheSameAttempt() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue w = q.worker("w");
    Claim claim = w.claimNext().orElseThrow();
    w.report(claim, List.of(new Epoch(1, 1, 1, 0.5, 1)));
    assertThat(w.handBack(claim)).isTrue();
    assertThat(w.heartbeat(claim)).isFalse();
    Claim again = q.worker("other").claimNext().orElseThrow();
    assertThat(again.setting()).isEqualTo(claim.setting());
    assertThat(q.look().running()).as("the handed-back run's progress is forgotten").isEmpty();
  }

  @Test
  void aStopRequestReachesTheRunItWasMadeForOnly() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue w = q.worker("w");
    Claim claim = w.claimNext().orElseThrow();
    List<Epoch> epochs = List.of(new Epoch(1, 1, 1, 0.9, 1));
    assertThat(w.report(claim, epochs)).isEmpty();
    Progress running = q.look().running().stream().filter(p -> p.id().equals("s000000")).findFirst().orElseThrow();
    assertThat(running.worker()).isEqualTo("w");
    assertThat(running.attempt()).isEqualTo(1);
    q.master().requestStop(running, "worse than the median", q.clock.instant());
    Optional<StopRequest> stop = w.report(claim, epochs);
    assertThat(stop).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo("worse than the median"));
    Result stopped = Result.of(claim.setting(), io.hps.protocol.Status.STOPPED, stop.get().reason(), "w",
        claim.claimedAt(), q.clock.instant(), epochs, java.util.Map.of());
    assertThat(w.publish(claim, stopped)).isEqualTo(Publication.PUBLISHED);
    assertThat(q.accepted(2)).singleElement().satisfies(r -> assertThat(r.reason()).contains("median"));
    assertThat(q.look().running()).isEmpty();
  }

  @Test
  void aStopRequestForAnExpiredRunDoesNotStopTheNextAttempt() throws Exception {
    Queues q = queues(2);
    q.propose(0, 0, 1);
    WorkerQueue first = q.worker("first");
    Claim claim = first.claimNext().orElseThrow();
    first.report(claim, List.of(new Epoch(1, 1, 1, 0.9, 1)));
    Progress running = q.look().running().get(0);
    q.master().requestStop(running, "stop", q.clock.instant());
    q.clock.advance(Queues.LEASE.plusSeconds(1));
    q.look();
    WorkerQueue second = q.worker("second");
    Claim again = second.claimNext().orElseThrow();
    assertThat(second.report(again, List.of(new Epoch(1, 1, 1, 0.9, 1)))).isEmpty();
  }
}
