package io.hps.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hps.protocol.Batch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The study's rules on a storage of their own (a fake that records what it is asked to do), apart from
 * either queue: what the file and memory queues share is decided here once.
 */
class StudyRulesTest {
  private static final Instant NOW = Queues.START;
  private static final long SECOND = 1_000_000_000L;

  /** Storage in two maps, whose writes to the claimable settings can be made to fail (a full disk). */
  private static final class FakeStorage implements StudyRules.Storage {
    final Map<String, Setting> claimable = new LinkedHashMap<>();
    final Map<String, Result> results = new LinkedHashMap<>();
    final Map<String, Setting> claims = new LinkedHashMap<>();
    final List<String> quarantined = new ArrayList<>();
    final Set<String> forgotten = new HashSet<>();
    IOException writeFailure;

    @Override
    public Optional<Result> result(String id) {
      return Optional.ofNullable(results.get(id));
    }

    @Override
    public boolean proposed(String id) {
      return true;
    }

    @Override
    public void quarantineResult(String id, String why) {
      results.remove(id);
      quarantined.add(id + ": " + why);
    }

    @Override
    public void forgetProgress(String id) {
      forgotten.add(id);
    }

    @Override
    public void dropClaim(StudyRules.HeldClaim claim) {
      claims.remove(claim.id());
    }

    @Override
    public Optional<Setting> takeBack(StudyRules.HeldClaim claim) {
      return Optional.ofNullable(claims.remove(claim.id()));
    }

    @Override
    public void settled(StudyRules.HeldClaim claim) {}

    @Override
    public void makeClaimable(Setting setting, boolean retried) throws IOException {
      if (writeFailure != null) {
        throw writeFailure;
      }
      claimable.put(setting.id(), setting);
    }

    @Override
    public void publishFailed(Result failed) {
      results.putIfAbsent(failed.id(), failed);
    }

    @Override
    public boolean holds(String id) {
      return claimable.containsKey(id) || claims.containsKey(id) || results.containsKey(id);
    }

    /** A worker claims {@code id}: it leaves the claimable settings. */
    StudyRules.HeldClaim claim(String id, String worker, Object stamp) {
      claims.put(id, claimable.remove(id));
      return new StudyRules.HeldClaim(id, id, worker, stamp, false, null);
    }
  }

  private final StringWriter log = new StringWriter();
  private final FakeStorage storage = new FakeStorage();

  private StudyRules rules(int retries) throws IOException {
    StudyRules rules = new StudyRules(Duration.ofSeconds(10), retries, new PrintWriter(log, true));
    rules.proposed(new Batch(1, 0, NOW, 0, List.of(Queues.setting(0), Queues.setting(1))), storage);
    return rules;
  }

  @Test
  void aSettingThatCouldNotBeMadeClaimableIsWrittenLaterAsTheSameAttemptAndNeverLost() throws IOException {
    storage.writeFailure = new IOException("No space left on device");
    StudyRules rules = rules(2);
    assertThat(storage.claimable).isEmpty();
    storage.writeFailure = null;
    for (int look = 0; look < 3; look++) {
      rules.recoverLost(NOW, storage); // two looks that find nothing would call a setting lost
    }
    assertThat(storage.claimable).isEmpty();
    assertThat(log.toString()).contains("s000000 not written to pending/ (No space left on device)")
        .doesNotContain("no file anywhere");
    rules.writeUnwritten(storage);
    assertThat(storage.claimable.values()).extracting(Setting::attempt).containsExactly(1, 1);
  }

  @Test
  void aReplacedMasterStopsInsteadOfKeepingTheSettingForLater() throws IOException {
    storage.writeFailure = new MasterQueue.Replaced("another master took the study");
    assertThatThrownBy(() -> rules(2)).isInstanceOf(MasterQueue.Replaced.class);
  }

  @Test
  void aSilentClaimIsRetriedUntilTheBudgetThenFailedAndTheFailureAcceptedOnce() throws IOException {
    StudyRules rules = rules(1);
    for (int attempt = 0; attempt < 2; attempt++) {
      StudyRules.HeldClaim claim = storage.claim("s000000", "w" + attempt, "beat" + attempt);
      rules.expire(List.of(claim), NOW, 0, storage); // first seen: a full lease from now
      rules.expire(List.of(claim), NOW, 11 * SECOND, storage);
    }
    assertThat(storage.claims).isEmpty();
    Result failed = storage.results.get("s000000");
    assertThat(failed.status()).isEqualTo(Status.FAILED);
    assertThat(log.toString()).contains("s000000 back in pending/ as attempt 2", "s000000 failed after 2 attempts");
    assertThat(storage.forgotten).contains("s000000");
    List<Result> accepted = new ArrayList<>();
    rules.accept(List.of("s000000"), storage, accepted);
    rules.accept(List.of("s000000"), storage, accepted);
    assertThat(accepted).containsExactly(failed);
    assertThat(rules.ledger().isAccepted("s000000")).isTrue();
  }

  @Test
  void aResultWithOtherParametersIsQuarantinedAndItsSettingRetriedWithTheReason() throws IOException {
    StudyRules rules = rules(2);
    storage.claim("s000001", "w", "beat");
    Setting forged = Queues.setting(7);
    storage.claims.remove("s000001");
    storage.results.put("s000001", Result.of(new Setting("s000001", 1, 0, 0, NOW, forged.params()),
        Status.COMPLETE, null, "w", NOW, NOW,
        List.of(new io.hps.protocol.Epoch(1, 1.0, 1.0, 0.5, 1.0)), Map.of()));
    List<Result> accepted = new ArrayList<>();
    rules.accept(List.of("s000001"), storage, accepted);
    assertThat(accepted).isEmpty();
    assertThat(storage.quarantined).singleElement().asString().contains("parameters that differ");
    rules.recoverLost(NOW, storage);
    rules.recoverLost(NOW, storage);
    Setting again = storage.claimable.get("s000001");
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.history().get(0).reason()).startsWith("its result was quarantined: result file");
  }
}
