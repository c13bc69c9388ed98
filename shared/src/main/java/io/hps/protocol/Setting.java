package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hps.space.Params;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One proposed configuration: the file a worker claims. {@code point} is the strategy's point it
 * comes from, {@code repeat} which repetition of that point (repetitions differ in their seed),
 * {@code batch} the synchronous batch it belongs to, {@code attempt} counts from 1 and grows each time
 * a lease expires; {@code history} says why earlier attempts produced nothing. {@code budget} is the
 * number of epochs to train when a strategy sets it (the halving strategies; absent: the {@code epochs}
 * parameter, see {@link #epochs()}), and {@code lineage} its place in a halving schedule (or absent).
 * {@code checkpoint} asks the worker to save the trained state when it completes (a rung that may be
 * promoted), {@code resume} to continue from a parent's checkpoint (a promoted setting); both absent
 * unless the study keeps checkpoints.
 */
public record Setting(int schema, String id, int point, int repeat, int batch, int attempt, Instant created,
    Params params, List<Attempt> history, @JsonInclude(JsonInclude.Include.NON_NULL) Integer budget,
    @JsonInclude(JsonInclude.Include.NON_NULL) Lineage lineage,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean checkpoint,
    @JsonInclude(JsonInclude.Include.NON_NULL) Resume resume) {
  public Setting {
    Ids.schema(schema);
    Ids.check("setting id", id);
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(params, "params");
    if (point < 0 || repeat < 0 || batch < 0 || attempt < 1) {
      throw new IllegalArgumentException("point, repeat and batch must be >= 0 and attempt >= 1");
    }
    history = history == null ? List.of() : List.copyOf(history);
    if (budget != null && budget < 1) {
      throw new IllegalArgumentException("budget must be at least 1 epoch, not " + budget);
    }
    if (Boolean.FALSE.equals(checkpoint)) {
      checkpoint = null;
    }
    if (resume != null && resume.epochs() >= plannedEpochs(budget, params).orElse(0)) {
      throw new IllegalArgumentException("resume: the checkpoint holds " + resume.epochs() + " epochs, not fewer than"
          + " the " + plannedEpochs(budget, params).orElse(0) + " to train");
    }
  }

  public Setting(int schema, String id, int point, int repeat, int batch, int attempt, Instant created,
      Params params, List<Attempt> history, Integer budget, Lineage lineage) {
    this(schema, id, point, repeat, batch, attempt, created, params, history, budget, lineage, null, null);
  }

  public Setting(int schema, String id, int point, int repeat, int batch, int attempt, Instant created,
      Params params, List<Attempt> history) {
    this(schema, id, point, repeat, batch, attempt, created, params, history, null, null);
  }

  public Setting(String id, int point, int repeat, int batch, Instant created, Params params) {
    this(1, id, point, repeat, batch, 1, created, params, List.of());
  }

  /** The same setting with a budget and a lineage. */
  public Setting planned(Integer epochs, Lineage place) {
    return new Setting(schema, id, point, repeat, batch, attempt, created, params, history, epochs, place, checkpoint,
        resume);
  }

  /** The same setting, saving a checkpoint when {@code save}, and resuming from {@code from} (or not: null). */
  public Setting checkpointed(boolean save, Resume from) {
    return new Setting(schema, id, point, repeat, batch, attempt, created, params, history, budget, lineage, save,
        from);
  }

  /** Whether the worker is to save the trained state (the field {@code checkpoint} is true). */
  public boolean savesCheckpoint() {
    return Boolean.TRUE.equals(checkpoint);
  }

  /**
   * How many epochs to train: the {@code budget}, else the {@code epochs} parameter; 0 when the setting
   * has neither (a trainer that decides for itself, such as a command).
   */
  public int epochs() {
    return plannedEpochs(budget, params).orElse(0);
  }

  /**
   * The epochs a setting (or a proposal) is to train: its {@code budget}, else its {@code epochs}
   * parameter; empty when it has neither. The one place this rule is written.
   */
  public static java.util.OptionalInt plannedEpochs(Integer budget, Params params) {
    return budget != null ? java.util.OptionalInt.of(budget)
        : params.has("epochs") ? java.util.OptionalInt.of(params.getInt("epochs")) : java.util.OptionalInt.empty();
  }

  /** The next attempt after one that produced nothing for {@code reason}. */
  public Setting retry(String worker, String reason, Instant at) {
    List<Attempt> more = new java.util.ArrayList<>(history);
    more.add(new Attempt(attempt, worker, reason, at));
    return new Setting(schema, id, point, repeat, batch, attempt + 1, created, params, more, budget, lineage,
        checkpoint, resume);
  }
}
