package io.hps.master;

import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What becomes of a setting whose attempt ended without a result (lease expired, result quarantined,
 * file lost): the next attempt, or a {@code failed} result once {@code retries} retries are spent.
 */
record RetryBudget(int retries) {
  static final String MASTER = "master";

  /** The next attempt of {@code setting}, or empty when the budget is spent. */
  java.util.Optional<Setting> next(Setting setting, String worker, String reason, Instant now) {
    Setting next = setting.retry(worker, reason, now);
    return next.attempt() > retries + 1 ? java.util.Optional.empty() : java.util.Optional.of(next);
  }

  /** The failed result of a setting whose budget is spent, with the reason of every attempt. */
  Result failed(Setting setting, String worker, String reason, Instant now) {
    Setting last = setting.retry(worker, reason, now);
    String reasons = last.history().stream().map(a -> "attempt " + a.attempt() + ": " + a.reason())
        .collect(Collectors.joining("; "));
    return Result.of(last, Status.FAILED, "retry budget of " + retries + " spent; " + reasons, MASTER, null, now,
        List.of(), Map.of());
  }
}
