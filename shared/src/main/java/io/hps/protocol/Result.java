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
 * holds trainer facts such as the number of free parameters. {@code checkpoint} names the checkpoint this
 * attempt saved (when its setting asked for one), {@code resumed} the one it continued from; a resumed
 * result's epochs are those it trained itself, numbered on from the checkpoint's.
 */
public record Result(int schema, String id, Status status, String reason, int point, int repeat, int batch,
    int attempt, String worker, Instant created, Instant claimed, Instant finished, Params params,
    List<Epoch> epochs, Map<String, Object> info, @JsonInclude(JsonInclude.Include.NON_NULL) Integer budget,
    @JsonInclude(JsonInclude.Include.NON_NULL) Lineage lineage,
    @JsonInclude(JsonInclude.Include.NON_NULL) String checkpoint,
    @JsonInclude(JsonInclude.Include.NON_NULL) Resume resumed) {
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
    int first = resumed == null ? 1 : resumed.epochs() + 1;
    for (int i = 0; i < epochs.size(); i++) {
      if (epochs.get(i).epoch() != first + i) {
        throw new IllegalArgumentException("epochs must be numbered " + first + ", " + (first + 1) + ", ... in order"
            + (resumed == null ? "" : " (resumed after epoch " + resumed.epochs() + ")") + "; entry " + i
            + " is epoch " + epochs.get(i).epoch());
      }
    }
    if (checkpoint != null) {
      Resume.checkPath(checkpoint);
    }
  }

  public Result(int schema, String id, Status status, String reason, int point, int repeat, int batch, int attempt,
      String worker, Instant created, Instant claimed, Instant finished, Params params, List<Epoch> epochs,
      Map<String, Object> info, Integer budget, Lineage lineage) {
    this(schema, id, status, reason, point, repeat, batch, attempt, worker, created, claimed, finished, params, epochs,
        info, budget, lineage, null, null);
  }

  public Result(int schema, String id, Status status, String reason, int point, int repeat, int batch, int attempt,
      String worker, Instant created, Instant claimed, Instant finished, Params params, List<Epoch> epochs,
      Map<String, Object> info) {
    this(schema, id, status, reason, point, repeat, batch, attempt, worker, created, claimed, finished, params, epochs,
        info, null, null);
  }

  /** The epochs the setting was to train (its budget, else its {@code epochs} parameter; 0: neither). */
  public int plannedEpochs() {
    return Setting.plannedEpochs(budget, params).orElse(0);
  }

  /** The same result, naming the checkpoint its attempt saved ({@code checkpoints/<name>}). */
  public Result withCheckpoint(String savedTo) {
    return new Result(schema, id, status, reason, point, repeat, batch, attempt, worker, created, claimed, finished,
        params, epochs, info, budget, lineage, savedTo, resumed);
  }

  /** The epochs the network had trained before this trial: those of the checkpoint it resumed from, else 0. */
  public int resumedEpochs() {
    return resumed == null ? 0 : resumed.epochs();
  }

  /**
   * Builds the result of a trial of {@code setting}. When the setting asked to resume and the first epoch
   * continues its checkpoint's ({@code resume.epochs + 1}), the result records {@code resumed}; epochs
   * from 1 mean the trainer trained from scratch.
   */
  public static Result of(Setting setting, Status status, String reason, String worker, Instant claimed,
      Instant finished, List<Epoch> epochs, Map<String, Object> info) {
    Resume resume = setting.resume();
    boolean resumed = resume != null && epochs != null && !epochs.isEmpty()
        && epochs.get(0).epoch() == resume.epochs() + 1;
    return new Result(1, setting.id(), status, reason, setting.point(), setting.repeat(), setting.batch(),
        setting.attempt(), worker, setting.created(), claimed, finished, setting.params(), epochs, info,
        setting.budget(), setting.lineage(), null, resumed ? resume : null);
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
