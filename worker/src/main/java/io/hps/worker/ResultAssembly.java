package io.hps.worker;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.StopRequest;
import io.hps.trainer.Outcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a trainer did with an attempt into the setting's result: the one place a worker, real
 * ({@link Worker}) or simulated ({@code hps replay}), builds it. A stopped run gives the master's reason
 * when the master asked; a setting that asked to resume and did not says why ({@code resumeFailed}); epochs
 * a trainer numbered wrongly fail the setting; a trainer that threw fails it with its message and the
 * epochs it reported (none when it resumed, as they would not start at 1).
 *
 * @param setting the attempt's setting
 * @param worker the worker's id
 * @param claimedAt when it was claimed
 * @param resumed whether a checkpoint was handed to the trainer to resume from
 * @param resumeProblem why the setting's checkpoint was not handed to the trainer, or null
 */
public record ResultAssembly(Setting setting, String worker, Instant claimedAt, boolean resumed,
    String resumeProblem) {
  /**
   * The result of an outcome (stopped by {@code stop} when not null), finished at {@code finished};
   * {@code seen} are the epochs the trainer reported, for a failed result when its outcome is not valid.
   */
  public Result of(Outcome outcome, StopRequest stop, List<Epoch> seen, Instant finished) {
    String reason = outcome.status() == Status.STOPPED && stop != null ? stop.reason() : outcome.reason();
    Map<String, Object> info = new LinkedHashMap<>(outcome.info());
    if (resumeProblem != null) {
      info.putIfAbsent("resumeFailed", resumeProblem);
    } else if (resumed && !outcome.epochs().isEmpty() && outcome.epochs().get(0).epoch() == 1) {
      info.putIfAbsent("resumeFailed", "the trainer trained from epoch 1: it did not use the checkpoint");
    }
    try {
      return Result.of(setting, outcome.status(), reason, worker, claimedAt, finished, outcome.epochs(), info);
    } catch (IllegalArgumentException e) {
      return failed("the trainer's epochs are not valid: " + e.getMessage(), seen, finished);
    }
  }

  /** The failed result of a trainer that threw ({@code failure}), with the epochs it reported ({@code seen}). */
  public Result failed(String failure, List<Epoch> seen, Instant finished) {
    return Result.of(setting, Status.FAILED, failure, worker, claimedAt, finished, resumed ? List.of() : seen,
        Map.of());
  }
}
