package io.hps.cli;

import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import io.hps.stopping.Stopping;
import io.hps.strategy.Halving;
import io.hps.strategy.Strategy;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that create or resume a study, shared by {@code master} and {@code run}. A new study
 * needs {@code --space}; a resumed one keeps its space, strategy, seed and repeats (giving different
 * ones is an error) and takes new values of the others.
 */
final class StudyOptions {
  /** Synchronous batches or a window of settings in flight. */
  enum Mode { SYNC, ASYNC }

  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory (created if absent).")
  Path study;

  @Option(names = "--space", paramLabel = "FILE", description = "Search-space JSON file (needed for a new study).")
  Path space;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = {"Fix a parameter to a value, replacing its range;",
      "repeatable. A name the space lacks is added."})
  List<String> sets = new ArrayList<>();

  /** A space given in code instead of {@code --space} (hps scenario's built-in spaces). */
  SearchSpace builtInSpace;

  @Option(names = "--strategy", paramLabel = "NAME", description = {"grid, random (default), successive-halving or",
      "hyperband (epochs as the budget: the space's fixed 'epochs' is the largest)."})
  Strategy strategy;

  @Option(names = "--stop", paramLabel = "median|predicted", description = {"Stopping rule: the master stops running",
      "settings whose partial curves are not worth finishing (default: none)."})
  Stopping stop;

  @Option(names = "--eta", paramLabel = "N", description = "Halving strategies: keep the best 1/N of each rung (default: 3).")
  Integer eta;

  @Option(names = "--min-epochs", paramLabel = "N", description = "Halving strategies: epochs of the first rung (default: 1).")
  Integer minEpochs;

  @Option(names = "--seed", description = "Seed of the strategy and of training (default: 42).")
  Long seed;

  @Option(names = "--trials", paramLabel = "N", description = {"Number of points to try (default: the whole grid",
      "for grid, 100 for random)."})
  Integer trials;

  @Option(names = "--repeats", paramLabel = "N", description = "Runs of each point, with seeds seed, seed+1, ... (default: 1).")
  Integer repeats;

  @Option(names = "--batch", paramLabel = "K", description = {"Points per synchronous batch, or points in flight",
      "with --mode async (default: 4, or the number of workers for run)."})
  Integer batch;

  @Option(names = "--mode", paramLabel = "sync|async", description = "sync: each batch finishes before the next (default).")
  Mode mode;

  @Option(names = "--lease", paramLabel = "SECONDS", description = {"A claim whose worker sends no heartbeat for this",
      "long goes back to pending (default: 120)."})
  Double lease;

  @Option(names = "--retries", paramLabel = "N", description = "Times a setting is retried after lost leases (default: 2).")
  Integer retries;

  /** Creates the study or checks and updates its configuration; prints what it did on {@code out}. */
  StudyConfig resolve(int defaultBatch, PrintWriter out) throws IOException {
    StudyDirectory dir = new StudyDirectory(study);
    var existing = dir.readConfig();
    StudyConfig config;
    if (existing.isPresent()) {
      config = resume(existing.get(), out);
    } else {
      if (space == null && builtInSpace == null) {
        throw new SpaceException("no study in " + study + " yet: give --space FILE to create one");
      }
      SearchSpace s = applySets(givenSpace(), out);
      s.models();
      Strategy st = strategy == null ? Strategy.RANDOM : strategy;
      int t = trials != null ? trials : st == Strategy.GRID ? (int) Math.min(MAX_GRID, s.gridSize())
          : st.halving() ? 27 : 100;
      if (st.halving() && repeats != null && repeats != 1) {
        throw new IllegalArgumentException("--repeats is not supported with " + st.json());
      }
      if (!st.halving() && (eta != null || minEpochs != null)) {
        throw new IllegalArgumentException("--eta and --min-epochs are for successive-halving and hyperband");
      }
      config = new StudyConfig(1, study.getFileName().toString(), Instant.now(), s.toJson(), st.json(),
          seed == null ? 42 : seed, t, repeats == null ? 1 : repeats, batch == null ? defaultBatch : batch,
          (mode == null ? Mode.SYNC : mode).name().toLowerCase(Locale.ROOT), lease == null ? 120 : lease,
          retries == null ? 2 : retries, stop == null ? null : stop.json(), eta, minEpochs);
      if (trials != null && trials > MAX_GRID || batch != null && batch > MAX_BATCH
          || repeats != null && repeats > MAX_BATCH) {
        throw new IllegalArgumentException("--trials is at most " + MAX_GRID + ", --batch and --repeats at most "
            + MAX_BATCH);
      }
      if (stop != null && s.parameters().stream().noneMatch(p -> p.name().equals("epochs"))) {
        // Workers report how many epochs a setting plans from its 'epochs'; without it a rule never fires.
        throw new SpaceException("--stop " + stop.json() + " needs the space's 'epochs' (each setting's number of"
            + " epochs, which a stopping rule judges against); add \"epochs\": N to the space or --set epochs=N");
      }
      if (st == Strategy.GRID && s.gridSize() > MAX_GRID) {
        throw new SpaceException("the grid has " + (s.gridSize() == Long.MAX_VALUE ? "more than 9e18" : s.gridSize())
            + " points; at most " + MAX_GRID + " (use --strategy random, fewer 'steps', or --set to fix parameters)");
      }
      if (st.halving()) {
        Halving schedule = st.schedule(s, t, config);
        out.printf("%s: %d brackets, %d settings, %d epochs in all (promoted settings are retrained)%n", st.json(),
            schedule.brackets().size(), schedule.points(), schedule.epochsRetrained());
      }
    }
    check.accept(config);
    long bytes = io.hps.json.Json.MAPPER.writeValueAsBytes(config).length;
    if (bytes > io.hps.study.Limits.SETTING) {
      throw new SpaceException("the study's configuration would take " + bytes + " bytes in study.json, and workers"
          + " read at most " + io.hps.study.Limits.SETTING + " (a categorical parameter with too many values?)");
    }
    dir.create();
    DurableFiles.writeJson(dir.config(), config, true);
    return config;
  }

  /** The most settings one batch (or one point's repeats) may have: a batch file holds them all. */
  static final int MAX_BATCH = 10_000;

  /** The most points a grid search may have. */
  static final long MAX_GRID = 10_000_000;

  /** Checked before study.json is written (the local run's trainers); a refusal leaves nothing behind. */
  java.util.function.Consumer<StudyConfig> check = config -> { };

  private StudyConfig resume(StudyConfig old, PrintWriter out) {
    if (space != null || builtInSpace != null || !sets.isEmpty()) {
      SearchSpace base = space != null || builtInSpace != null ? givenSpace() : SearchSpace.parse(old.space(), dirName());
      SearchSpace given = applySets(base, out);
      SearchSpace stored = SearchSpace.parse(old.space(), dirName());
      if (!given.parameters().equals(stored.parameters()) || !given.command().equals(stored.command())) {
        throw new SpaceException(study + " was created with another search space, command or --set values (see"
            + " study.json); resume it with the same ones, or use a new --study directory");
      }
    }
    check("strategy", strategy == null ? null : strategy.json(), old.strategy());
    check("seed", seed, old.seed());
    check("repeats", repeats, old.repeats());
    check("stop", stop == null ? null : stop.json(), old.stop());
    check("eta", eta, old.eta());
    check("min-epochs", minEpochs, old.minEpochs());
    out.printf("resuming study %s%n", study);
    return new StudyConfig(1, old.name(), old.created(), old.space(), old.strategy(), old.seed(),
        trials == null ? old.trials() : trials, old.repeats(), batch == null ? old.batch() : batch,
        mode == null ? old.mode() : mode.name().toLowerCase(Locale.ROOT), lease == null ? old.leaseSeconds() : lease,
        retries == null ? old.retries() : retries, old.stop(), old.eta(), old.minEpochs());
  }

  private SearchSpace givenSpace() {
    return space != null ? SearchSpace.read(space) : builtInSpace;
  }

  private void check(String what, Object given, Object stored) {
    if (given != null && !given.equals(stored)) {
      throw new IllegalArgumentException(study + " was created with --" + what + " " + stored + ", not " + given
          + "; resume it with the same value or use a new --study directory");
    }
  }

  private SearchSpace applySets(SearchSpace s, PrintWriter out) {
    for (String assignment : sets) {
      String name = assignment.contains("=") ? assignment.substring(0, assignment.indexOf('=')) : assignment;
      if (!s.declares(name)) {
        out.printf("note: --set %s: the space has no parameter '%s'; adding it as a fixed value%n", assignment, name);
      }
      s = s.withSet(assignment);
    }
    return s;
  }

  private String dirName() {
    return new StudyDirectory(study).config().toString();
  }
}
