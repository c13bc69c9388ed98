package io.hps.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hps.space.SearchSpace;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code study.json}: what the master was asked to do. {@code space} is the search space after
 * {@code --set} overrides, in the space-file format ({@link #searchSpace()} reads it). {@code trials}
 * counts points; the study holds {@code trials * repeats} settings. In {@code sync} mode the master
 * writes {@code batch} settings and waits for all their results; in {@code async} mode it keeps
 * {@code batch} settings in flight. Optional: {@code stop}, the stopping rule (absent: none), with its
 * {@code stopOptions}; and for the halving strategies {@code eta} (reduction factor, default 3) and
 * {@code minEpochs} (the first rung's budget, default 1), and {@code checkpoints} (promoted settings
 * continue from their parent's saved state instead of training again); {@code sets}, the {@code --set
 * NAME=VALUE} assignments that made {@code space} from the space file (so a resume that gives the file
 * again without them keeps them); {@code createdBy}, the command that created the study (reports quote
 * it); {@code objectives}, what the study optimises ({@link #goals()}; absent: validation error, minimised),
 * and {@code constraints}, bounds a feasible result keeps. Build one with {@link #builder}.
 */
public record StudyConfig(int schema, String name, Instant created, ObjectNode space, Strategy strategy, long seed,
    int trials, int repeats, int batch, Mode mode, double leaseSeconds, int retries, Stopping stop, Integer eta,
    Integer minEpochs, @JsonInclude(JsonInclude.Include.NON_NULL) StopOptions stopOptions,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean checkpoints,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<String> sets,
    @JsonInclude(JsonInclude.Include.NON_NULL) String createdBy,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<Objective> objectives,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<Constraint> constraints) {
  public StudyConfig {
    objectives = objectives == null || objectives.equals(java.util.List.of(Objective.DEFAULT)) ? java.util.List.of()
        : java.util.List.copyOf(objectives);
    constraints = constraints == null ? java.util.List.of() : java.util.List.copyOf(constraints);
    if (constraints.stream().distinct().count() < constraints.size()) {
      throw new IllegalArgumentException("a constraint is given twice: " + constraints);
    }
    if (objectives.stream().map(Objective::metric).distinct().count() < objectives.size()) {
      throw new IllegalArgumentException("objectives name a metric twice: " + objectives);
    }
    if (!objectives.isEmpty() && stop != null && !objectives.get(0).equals(Objective.DEFAULT)) {
      throw new IllegalArgumentException("the stopping rules judge validation error curves; with --stop the first"
          + " objective must be valError (minimised), not " + objectives.get(0));
    }
    sets = sets == null ? java.util.List.of() : java.util.List.copyOf(sets);
    if (createdBy != null && createdBy.length() > 10_000) {
      throw new IllegalArgumentException("createdBy holds " + createdBy.length() + " characters; at most 10000");
    }
    Ids.schema(schema);
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(mode, "mode");
    if (trials < 1 || repeats < 1 || batch < 1 || retries < 0) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "trials, repeats and batch must be >= 1"
          + " and retries >= 0, not trials %d, repeats %d, batch %d, retries %d", trials, repeats, batch, retries));
    }
    if (!(leaseSeconds > 0)) {
      throw new IllegalArgumentException("the lease (--lease, leaseSeconds) must be > 0 seconds, not " + leaseSeconds);
    }
    if (eta != null && eta < 2 || minEpochs != null && minEpochs < 1) {
      throw new IllegalArgumentException("eta must be >= 2 and minEpochs >= 1, not eta " + eta + ", minEpochs "
          + minEpochs);
    }
    if (stop == null && stopOptions != null) {
      throw new IllegalArgumentException("stopOptions without a stopping rule ('stop')");
    }
    if (Boolean.TRUE.equals(checkpoints) && !strategy.halving()) {
      throw new IllegalArgumentException("checkpoints are for the halving strategies (successive-halving, hyperband,"
          + " asha, bohb), not " + strategy.json());
    }
    if (Boolean.FALSE.equals(checkpoints)) {
      checkpoints = null;
    }
  }

  /** The study's objectives: those of {@code study.json}, else {@link Objective#DEFAULT} alone. */
  public java.util.List<Objective> goals() {
    return objectives.isEmpty() ? java.util.List.of(Objective.DEFAULT) : objectives;
  }

  /** Whether promoted settings continue from their parent's checkpoint ({@code checkpoints: true}). */
  public boolean keepsCheckpoints() {
    return Boolean.TRUE.equals(checkpoints);
  }

  /** A study of {@code space} with {@code strategy}, and every other field at its default. */
  public static Builder builder(ObjectNode space, Strategy strategy) {
    return new Builder(space, strategy);
  }

  /** The same study with every field as it is, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder(space, strategy);
    b.name = name;
    b.created = created;
    b.seed = seed;
    b.trials = trials;
    b.repeats = repeats;
    b.batch = batch;
    b.mode = mode;
    b.leaseSeconds = leaseSeconds;
    b.retries = retries;
    b.stop = stop;
    b.stopOptions = stopOptions;
    b.eta = eta;
    b.minEpochs = minEpochs;
    b.checkpoints = Boolean.TRUE.equals(checkpoints);
    b.sets = sets;
    b.createdBy = createdBy;
    b.objectives = objectives;
    b.constraints = constraints;
    return b;
  }

  /** The search space, read from {@code space}. */
  public SearchSpace searchSpace() {
    return SearchSpace.parse(space, name == null ? "study.json" : name + "/study.json");
  }

  /** How often a worker must touch its claim: a sixth of the lease. */
  public double heartbeatSeconds() {
    return leaseSeconds / 6;
  }

  /** Total number of settings the study will hold. */
  public int settings() {
    return trials * repeats;
  }

  /** Builds a {@link StudyConfig}; defaults as {@code hps master} has them. */
  public static final class Builder {
    private final ObjectNode space;
    private final Strategy strategy;
    private String name = "study";
    private Instant created = Instant.now();
    private long seed = 42;
    private int trials = 100;
    private int repeats = 1;
    private int batch = 4;
    private Mode mode = Mode.SYNC;
    private double leaseSeconds = 120;
    private int retries = 2;
    private Stopping stop;
    private StopOptions stopOptions;
    private Integer eta;
    private Integer minEpochs;
    private boolean checkpoints;
    private java.util.List<String> sets = java.util.List.of();
    private String createdBy;
    private java.util.List<Objective> objectives = java.util.List.of();
    private java.util.List<Constraint> constraints = java.util.List.of();

    private Builder(ObjectNode space, Strategy strategy) {
      this.space = space;
      this.strategy = strategy;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder created(Instant value) {
      created = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder trials(int value) {
      trials = value;
      return this;
    }

    public Builder repeats(int value) {
      repeats = value;
      return this;
    }

    /** Points per synchronous batch, or in flight in {@code mode}. */
    public Builder batch(int value, Mode batchMode) {
      batch = value;
      mode = batchMode;
      return this;
    }

    public Builder lease(double seconds, int retryBudget) {
      leaseSeconds = seconds;
      retries = retryBudget;
      return this;
    }

    public Builder stop(Stopping rule, StopOptions options) {
      stop = rule;
      stopOptions = options;
      return this;
    }

    public Builder halving(Integer reduction, Integer firstRungEpochs) {
      eta = reduction;
      minEpochs = firstRungEpochs;
      return this;
    }

    /** Promoted settings continue from their parent's checkpoint (halving strategies only). */
    public Builder checkpoints(boolean value) {
      checkpoints = value;
      return this;
    }

    /** The {@code --set} assignments that made the space from its file. */
    public Builder sets(java.util.List<String> value) {
      sets = value;
      return this;
    }

    /** The command that created the study, for reports. */
    public Builder createdBy(String value) {
      createdBy = value;
      return this;
    }

    /** What the study optimises (empty: validation error, minimised) and the bounds a result must keep. */
    public Builder objectives(java.util.List<Objective> goals, java.util.List<Constraint> bounds) {
      objectives = goals;
      constraints = bounds;
      return this;
    }

    public StudyConfig build() {
      return new StudyConfig(1, name, created, space, strategy, seed, trials, repeats, batch, mode, leaseSeconds,
          retries, stop, eta, minEpochs, stopOptions, checkpoints ? Boolean.TRUE : null, sets, createdBy,
          objectives, constraints);
    }
  }
}
