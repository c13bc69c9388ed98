package io.hps.master;

import io.hps.json.Json;
import io.hps.protocol.Constraint;
import io.hps.protocol.Mode;
import io.hps.protocol.Objective;
import io.hps.protocol.StopOptions;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import io.hps.strategy.Halving;
import io.hps.strategy.Strategies;
import io.hps.study.Limits;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a user asks of a study (from {@code hps master}, {@code run} or {@code scenario}), and the rules
 * that turn it into a {@code study.json}: a new study needs a space and gets defaults for what is not
 * given; a resumed one keeps its space, {@code --set} values, strategy, seed, repeats, stopping rule and
 * halving options (giving different ones is an error) and takes new values of the others. Every limit
 * that keeps a study runnable is checked here, before anything is written.
 *
 * @param space the search space given (null: none, which only a resume allows)
 * @param sets {@code NAME=VALUE} assignments applied to the space, in order
 * @param search how points are chosen; null fields take their defaults
 * @param pace how settings are handed out; null fields take their defaults
 * @param stop the stopping rule and its options, or null
 * @param aims the objectives and constraints asked for (empty lists: not given)
 */
public record StudyRequest(SearchSpace space, List<String> sets, Search search, Pace pace, Stop stop, Aims aims) {
  /** The most settings one batch (or one point's repeats) may have: a batch file holds them all. */
  public static final int MAX_BATCH = 10_000;

  /** The most points a grid search (or any study) may have. */
  public static final long MAX_GRID = 10_000_000;

  /**
   * Strategy, seed, points, repeats and the halving options ({@code checkpoints}: promoted settings
   * continue from their parent's state; null: yes for the halving strategies).
   */
  public record Search(Strategy strategy, Long seed, Integer trials, Integer repeats, Integer eta, Integer minEpochs,
      Boolean checkpoints) {}

  /** Points per batch (or in flight), the mode, the lease in seconds and the retry budget. */
  public record Pace(Integer batch, Mode mode, Double lease, Integer retries) {}

  /** A stopping rule and its options (null fields: the rule's defaults). */
  public record Stop(Stopping rule, StopOptions options) {}

  /** What the study optimises ({@code --objective}, in order) and the bounds it keeps ({@code --constraint}). */
  public record Aims(List<Objective> objectives, List<Constraint> constraints) {
    public static final Aims NONE = new Aims(List.of(), List.of());

    public Aims {
      objectives = objectives == null ? List.of() : List.copyOf(objectives);
      constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }
  }

  /** A request that names no objective or constraint. */
  public StudyRequest(SearchSpace space, List<String> sets, Search search, Pace pace, Stop stop) {
    this(space, sets, search, pace, stop, Aims.NONE);
  }

  public StudyRequest {
    sets = sets == null ? List.of() : List.copyOf(sets);
    aims = aims == null ? Aims.NONE : aims;
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(pace, "pace");
    if (stop != null && stop.options() != null && stop.options().equals(StopOptions.DEFAULTS)) {
      stop = new Stop(stop.rule(), null);
    }
    if (stop != null && stop.rule() == null && stop.options() == null) {
      stop = null;
    }
    if (stop != null && stop.rule() == Stopping.MEDIAN && stop.options() != null && stop.options().z() != null) {
      throw new IllegalArgumentException("--stop-z is for --stop predicted; the median rule has no z");
    }
  }

  /** A new study named {@code name}; {@code defaultBatch} when no batch was asked for. Notes go to {@code out}. */
  public StudyConfig create(String name, int defaultBatch, PrintWriter out) {
    if (space == null) {
      throw new SpaceException("no study here yet: give --space FILE to create one");
    }
    SearchSpace s = withSets(space, sets, out);
    s.models();
    List<String> wrong = io.hps.trainer.TrainerParameters.protocolProblems(s);
    if (!wrong.isEmpty()) {
      throw new SpaceException(String.join("; ", wrong) + " (fix the space file or the --set value)");
    }
    Strategy st = search.strategy() == null ? Strategy.RANDOM : search.strategy();
    Integer trials = search.trials();
    if (trials != null && trials > MAX_GRID || pace.batch() != null && pace.batch() > MAX_BATCH
        || search.repeats() != null && search.repeats() > MAX_BATCH) {
      throw new IllegalArgumentException("--trials is at most " + MAX_GRID + ", --batch and --repeats at most "
          + MAX_BATCH);
    }
    if (st.halving() && search.repeats() != null && search.repeats() != 1) {
      throw new IllegalArgumentException("--repeats is not supported with " + st.json());
    }
    if (!st.halving() && (search.eta() != null || search.minEpochs() != null || search.checkpoints() != null)) {
      String given = search.eta() != null ? "--eta" : search.minEpochs() != null ? "--min-epochs"
          : search.checkpoints() ? "--checkpoints" : "--no-checkpoints";
      throw new IllegalArgumentException(given + " is for the halving strategies (successive-halving, hyperband,"
          + " asha, bohb), not " + st.json() + (given.equals("--no-checkpoints") ? ", which never keeps checkpoints:"
          + " leave it out" : ""));
    }
    if (stop != null && stop.rule() == null) {
      throw new IllegalArgumentException("--stop-min-epochs, --stop-min-trials and --stop-z need --stop");
    }
    if (stop != null && !s.declares("epochs")) {
      // A stopping rule judges a curve against the epochs the setting plans; without them it would never fire.
      throw new SpaceException("--stop " + stop.rule().json() + " needs the space's 'epochs' (each setting's number"
          + " of epochs, which a stopping rule judges against); add \"epochs\": N to the space or --set epochs=N");
    }
    if (st == Strategy.GRID && s.gridSize() > MAX_GRID) {
      throw new SpaceException("the grid has " + (s.gridSize() == Long.MAX_VALUE ? "more than 9e18" : s.gridSize())
          + " points; at most " + MAX_GRID + " (use --strategy random, fewer 'steps', or --set to fix parameters)");
    }
    int t = trials != null ? trials : st == Strategy.GRID ? (int) Math.min(MAX_GRID, s.gridSize())
        : st.halving() ? 27 : 100;
    StudyConfig.Builder b = StudyConfig.builder(s.toJson(), st).name(name).created(Instant.now()).trials(t)
        .sets(sets).halving(search.eta(), search.minEpochs())
        .checkpoints(st.halving() && !Boolean.FALSE.equals(search.checkpoints()));
    if (search.seed() != null) {
      b.seed(search.seed());
    }
    if (search.repeats() != null) {
      b.repeats(search.repeats());
    }
    b.batch(pace.batch() != null ? pace.batch() : defaultBatch, pace.mode() != null ? pace.mode() : Mode.SYNC);
    b.lease(pace.lease() != null ? pace.lease() : 120, pace.retries() != null ? pace.retries() : 2);
    if (stop != null) {
      b.stop(stop.rule(), stop.options());
    }
    b.objectives(aims.objectives(), aims.constraints());
    StudyConfig config = b.build();
    if (st == Strategy.ASHA) {
      Halving schedule = Strategies.schedule(st, s, t, config);
      out.printf("asha: %d first-rung settings, rungs of %s epochs, at most %d settings (promotions follow the"
          + " results; use --mode async)%n", t, java.util.Arrays.toString(schedule.brackets().get(0).epochs()),
          Strategies.create(st, s, config).total(t));
    } else if (st.halving()) {
      Halving schedule = Strategies.schedule(st, s, t, config);
      out.printf("%s: %d brackets, %d settings, %s%n", st.json(), schedule.brackets().size(), schedule.points(),
          config.keepsCheckpoints() ? schedule.epochsContinued() + " epochs in all (promoted settings continue from"
              + " their parent's checkpoint; " + schedule.epochsRetrained() + " if retrained)"
              : schedule.epochsRetrained() + " epochs in all (promoted settings are retrained)");
    }
    return checkSize(config);
  }

  /**
   * The study {@code old} with this request's new trials, batch, mode, lease and retries; refused when the
   * request names another space, strategy, seed, repeats, stopping rule or halving option.
   *
   * @param where the study directory, for messages
   */
  public StudyConfig resume(StudyConfig old, String where, PrintWriter out) {
    if (space != null || !sets.isEmpty()) {
      // Leaving --set out keeps the study's own (study.json lists them); giving any means giving them all.
      boolean kept = space != null && sets.isEmpty();
      SearchSpace given = space == null ? withSets(old.searchSpace(), sets, out)
          : withSets(space, kept ? old.sets() : sets, kept ? new PrintWriter(java.io.Writer.nullWriter()) : out);
      SearchSpace stored = old.searchSpace();
      String theirs = space == null ? "--set" : kept ? (old.sets().isEmpty() ? "the space file"
          : "the space file with the study's " + String.join(" ", old.sets().stream().map(a -> "--set " + a).toList()))
          : "the space file and --set";
      List<String> differences = stored.differences(given, "study.json", theirs);
      if (!differences.isEmpty()) {
        throw new SpaceException(where + " was created with another search space: " + String.join("; ", differences)
            + ". Resume it with the same space and --set values" + hint(stored, given, old.sets(), kept)
            + ", or use a new --study directory");
      }
    }
    same(where, "strategy", search.strategy(), old.strategy());
    same(where, "seed", search.seed(), old.seed());
    same(where, "repeats", search.repeats(), old.repeats());
    same(where, "eta", search.eta(), old.eta());
    same(where, "min-epochs", search.minEpochs(), old.minEpochs());
    if ((search.eta() != null || search.minEpochs() != null || search.checkpoints() != null)
        && !old.strategy().halving()) {
      throw new IllegalArgumentException(where + " uses " + old.strategy().json() + ": --eta, --min-epochs and"
          + " --[no-]checkpoints are for the halving strategies (successive-halving, hyperband, asha, bohb)");
    }
    if (search.checkpoints() != null && search.checkpoints() != old.keepsCheckpoints()) {
      throw new IllegalArgumentException(where + " was created " + (old.keepsCheckpoints() ? "with" : "without")
          + " checkpoints; resume it " + (old.keepsCheckpoints() ? "without --no-checkpoints" : "without --checkpoints")
          + " or use a new --study directory");
    }
    if (stop != null && stop.rule() != null && stop.rule() != old.stop()) {
      throw new IllegalArgumentException(where + " was created " + (old.stop() == null ? "without --stop"
          : "with --stop " + old.stop().json()) + ", not with --stop " + stop.rule().json()
          + "; resume it with the same rule (or none: it keeps its own) or use a new --study directory");
    }
    if (stop != null && stop.options() != null) {
      if (old.stop() == null) {
        throw new IllegalArgumentException(where + " was created without --stop: its stopping-rule options"
            + " cannot be set on resume");
      }
      StopOptions had = old.stopOptions() == null ? StopOptions.DEFAULTS : old.stopOptions();
      if (!stop.options().equals(had)) {
        throw new IllegalArgumentException(where + " was created with stopping-rule options " + describe(had)
            + ", not " + describe(stop.options()) + "; resume it with the same ones (or none) or use a new"
            + " --study directory");
      }
    }
    if (!aims.objectives().isEmpty() && !StudyConfig.builder(old.space(), old.strategy())
        .objectives(aims.objectives(), List.of()).build().goals().equals(old.goals())) {
      throw new IllegalArgumentException(where + " was created with --objective " + String.join(" --objective ",
          old.goals().stream().map(Objective::toString).toList()) + ", not " + String.join(", ",
          aims.objectives().stream().map(Objective::toString).toList()) + "; its results were chosen for those:"
          + " resume it with the same objectives (or none: it keeps its own) or use a new --study directory");
    }
    if (!aims.constraints().isEmpty() && !aims.constraints().equals(old.constraints())) {
      throw new IllegalArgumentException(where + " was created with " + (old.constraints().isEmpty()
          ? "no constraint" : "--constraint " + String.join(" --constraint ", old.constraints().stream()
              .map(Constraint::toString).toList())) + ", not " + String.join(", ", aims.constraints().stream()
                  .map(Constraint::toString).toList()) + "; resume it with the same constraints (or none: it keeps"
          + " its own) or use a new --study directory");
    }
    if (search.trials() != null && search.trials() > MAX_GRID || pace.batch() != null && pace.batch() > MAX_BATCH) {
      throw new IllegalArgumentException("--trials is at most " + MAX_GRID + ", --batch at most " + MAX_BATCH);
    }
    StudyConfig.Builder b = old.toBuilder();
    if (search.trials() != null) {
      b.trials(search.trials());
    }
    b.batch(pace.batch() != null ? pace.batch() : old.batch(), pace.mode() != null ? pace.mode() : old.mode());
    b.lease(pace.lease() != null ? pace.lease() : old.leaseSeconds(),
        pace.retries() != null ? pace.retries() : old.retries());
    return checkSize(b.build());
  }

  private static void same(String where, String what, Object given, Object stored) {
    if (given != null && !given.equals(stored)) {
      throw new IllegalArgumentException(where + " was created with --" + what + " " + text(stored) + ", not "
          + text(given) + "; resume it with the same value or use a new --study directory");
    }
  }

  private static String describe(StopOptions o) {
    List<String> parts = new java.util.ArrayList<>();
    if (o.minEpochs() != null) {
      parts.add("--stop-min-epochs " + o.minEpochs());
    }
    if (o.minTrials() != null) {
      parts.add("--stop-min-trials " + o.minTrials());
    }
    if (o.z() != null) {
      parts.add("--stop-z " + o.z());
    }
    return parts.isEmpty() ? "(the defaults)" : String.join(" ", parts);
  }

  private static String text(Object value) {
    return value instanceof Enum<?> e ? io.hps.protocol.EnumText.text(e) : String.valueOf(value);
  }

  /**
   * For a study made before study.json listed its --set values: the fixed values that differ, as the --set
   * options that would give them.
   */
  private static String hint(SearchSpace stored, SearchSpace given, List<String> recorded, boolean kept) {
    if (!kept || !recorded.isEmpty()) {
      return "";
    }
    List<String> options = new java.util.ArrayList<>();
    for (io.hps.space.Parameter p : stored.parameters()) {
      boolean differs = given.parameters().stream().noneMatch(p::equals);
      if (differs && p instanceof io.hps.space.Fixed f && f.when().requires().isEmpty()) {
        options.add("--set " + p.name() + "=" + f.value());
      }
    }
    return options.isEmpty() ? "" : " (if the study was made with --set: " + String.join(" ", options) + ")";
  }

  private static SearchSpace withSets(SearchSpace s, List<String> sets, PrintWriter out) {
    for (String assignment : sets) {
      String name = assignment.contains("=") ? assignment.substring(0, assignment.indexOf('=')) : assignment;
      if (!s.declares(name)) {
        out.printf("note: --set %s: the space has no parameter '%s'; adding it as a fixed value%n", assignment, name);
      }
      s = s.withSet(assignment);
    }
    return s;
  }

  /** Workers read {@code study.json} up to {@link Limits#STUDY}: a larger one would make the study unrunnable. */
  private static StudyConfig checkSize(StudyConfig config) {
    long bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(config).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("study.json cannot be written: " + e.getMessage(), e);
    }
    if (bytes > Limits.STUDY) {
      throw new SpaceException("the study's configuration would take " + bytes + " bytes in study.json, and workers"
          + " read at most " + Limits.STUDY + " (a categorical parameter with too many values?)");
    }
    return config;
  }
}
