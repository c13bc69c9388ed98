package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hps.space.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one trial of a setting: exactly one result file per setting is ever accepted. The
 * objective is minimised: the validation error of the last epoch ({@link #objective()}). {@code info}
 * holds trainer facts such as the number of free parameters.
 */
public record Result(int schema, String id, Status status, String reason, int point, int repeat, int batch,
    int attempt, String worker, Instant created, Instant claimed, Instant finished, Params params,
    List<Epoch> epochs, Map<String, Object> info, @JsonInclude(JsonInclude.Include.NON_NULL) Integer budget,
    @JsonInclude(JsonInclude.Include.NON_NULL) Lineage lineage) {
  public Result {
    Ids.schema(schema);
    Ids.check("setting id", id);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(params, "params");
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    info = info == null ? Map.of() : Map.copyOf(info);
    if (status == Status.FAILED && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a failed result needs a reason");
    }
    if (status == Status.COMPLETE && epochs.isEmpty()) {
      throw new IllegalArgumentException("a complete result needs at least one epoch");
    }
    for (int i = 0; i < epochs.size(); i++) {
      if (epochs.get(i).epoch() != i + 1) {
        throw new IllegalArgumentException("epochs must be numbered 1, 2, ... in order; entry " + i + " is epoch "
            + epochs.get(i).epoch());
      }
    }
  }

  public Result(int schema, String id, Status status, String reason, int point, int repeat, int batch, int attempt,
      String worker, Instant created, Instant claimed, Instant finished, Params params, List<Epoch> epochs,
      Map<String, Object> info) {
    this(schema, id, status, reason, point, repeat, batch, attempt, worker, created, claimed, finished, params, epochs,
        info, null, null);
  }

  /** The epochs the setting was to train (its budget, else its {@code epochs} parameter; 0: neither). */
  public int plannedEpochs() {
    return Setting.epochs(budget, params);
  }

  /** Builds the result of a trial of {@code setting}. */
  public static Result of(Setting setting, Status status, String reason, String worker, Instant claimed,
      Instant finished, List<Epoch> epochs, Map<String, Object> info) {
    return new Result(1, setting.id(), status, reason, setting.point(), setting.repeat(), setting.batch(),
        setting.attempt(), worker, setting.created(), claimed, finished, setting.params(), epochs, info,
        setting.budget(), setting.lineage());
  }

  /** Final validation error (to minimise), when the trial finished with a finite one. */
  public Optional<Double> objective() {
    if (status == Status.FAILED || epochs.isEmpty()) {
      return Optional.empty();
    }
    double v = epochs.get(epochs.size() - 1).valError();
    return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
  }

  /** Time from the setting being written to its claim, when known. */
  public Optional<Duration> claimLatency() {
    return claimed == null ? Optional.empty() : Optional.of(Duration.between(created, claimed));
  }
}
