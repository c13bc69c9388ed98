package io.hps.cli;

import io.hps.doctor.FilesystemDoctor;
import io.hps.doctor.Finding;
import io.hps.master.StudyRequest;
import io.hps.protocol.Mode;
import io.hps.protocol.StopOptions;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import io.hps.study.DurableFiles;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that create or resume a study, shared by {@code master} and {@code run}. A new study
 * needs {@code --space}; a resumed one keeps its space, strategy, seed and repeats (giving different
 * ones is an error) and takes new values of the others.
 */
final class StudyOptions {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "The study directory (created if absent).")
  Path study;

  @Option(names = "--space", paramLabel = "FILE", description = "Search-space JSON file (needed for a new study).")
  Path space;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = {"Fix a parameter to a value, replacing its range;",
      "repeatable. A name the space lacks is added."})
  List<String> sets = new ArrayList<>();

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  /** A space given in code instead of {@code --space} (hps scenario's built-in spaces). */
  SearchSpace builtInSpace;

  /** The command line to record in a new study's study.json (null: the one that parsed these options). */
  String createdBy;

  @Option(names = "--strategy", paramLabel = "NAME", description = {"grid, random (default), tpe (model-based),",
      "nsga2 (evolutionary, for several objectives), successive-halving, hyperband, asha (use --mode",
      "async) or bohb (these four: epochs as the budget, the space's fixed 'epochs' the largest)."})
  Strategy strategy;

  @Option(names = "--stop", paramLabel = "median|predicted", description = {"Stopping rule: the master stops running",
      "settings whose partial curves are not worth finishing (default: none)."})
  Stopping stop;

  @Option(names = "--stop-min-epochs", paramLabel = "N", description = {"Stopping rule: the first epoch after which a",
      "setting may be stopped (default: 2)."})
  Integer stopMinEpochs;

  @Option(names = "--stop-min-trials", paramLabel = "N", description = {"Stopping rule: curves it needs before it stops",
      "anything: settings that reached the epoch (median; default 5), finished ones (predicted; default 10)."})
  Integer stopMinTrials;

  @Option(names = "--stop-z", paramLabel = "Z", description = {"Predicted rule: stop when the predicted final error",
      "minus Z standard errors is still worse than the best (default: 2)."})
  Double stopZ;

  @Option(names = "--eta", paramLabel = "N", description = "Halving strategies: keep the best 1/N of each rung (default: 3).")
  Integer eta;

  @Option(names = "--min-epochs", paramLabel = "N", description = "Halving strategies: epochs of the first rung (default: 1).")
  Integer minEpochs;

  @Option(names = "--checkpoints", negatable = true, fallbackValue = "true", description = {"Halving strategies: a"
      + " promoted setting continues from",
      "the state its parent saved in checkpoints/ (default: on); --no-checkpoints trains it again",
      "from scratch. A trainer that cannot resume trains from scratch and says so (info.resumeFailed)."})
  Boolean checkpoints;

  @Option(names = "--objective", paramLabel = "METRIC[:max]", description = {"What to optimise; repeat for several"
      + " (a Pareto front):",
      "valError (default), valLoss, trainLoss, trainSeconds, elapsedSeconds, or a metric the trainer",
      "reports (an epoch's metrics, the result's info: numFreeParameters); minimised unless :max.",
      "Every strategy takes them (grid and random ignore them)."})
  List<String> objectives = new ArrayList<>();

  @Option(names = "--constraint", paramLabel = "METRIC<=V|METRIC>=V", description = {"A bound a result must keep to be"
      + " feasible", "(numFreeParameters<=200000); repeatable. Infeasible results are kept and marked;",
      "the strategy prefers feasible ones."})
  List<String> constraints = new ArrayList<>();

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

  @Option(names = "--unsafe-filesystem", description = {"Create the study even where the filesystem fails one of",
      "hps doctor's first six checks (atomic rename, rename over a file, hard links, O_EXCL, directory fsync,",
      "settable modification times), which run before every new study; results may be lost or duplicated there."})
  boolean unsafeFilesystem;

  /** Creates the study or checks and updates its configuration; prints what it did on {@code out}. */
  StudyConfig resolve(int defaultBatch, PrintWriter out) throws IOException {
    StudyDirectory dir = new StudyDirectory(study);
    var existing = dir.readConfig();
    StudyRequest request = request();
    StudyConfig config;
    // What the request says (notes, a halving schedule) is shown once the study passed its checks: a note that
    // adds a parameter must not come before the refusal of that parameter.
    java.io.StringWriter said = new java.io.StringWriter();
    PrintWriter notes = new PrintWriter(said, true);
    try {
      if (existing.isPresent()) {
        config = request.resume(existing.get(), study.toString(), notes);
        notes.printf("resuming study %s%n", study);
      } else {
        if (space == null && builtInSpace == null) {
          throw new SpaceException("no study in " + study + " yet: give --space FILE to create one");
        }
        config = request.create(study.getFileName().toString(), defaultBatch, notes);
        String command = createdBy != null ? createdBy : spec == null ? null : Commands.typed(spec.commandLine());
        config = config.toBuilder().createdBy(command).build();
      }
    } catch (IllegalArgumentException e) {
      if (spec == null || e instanceof SpaceException) {
        throw e;
      }
      // Options that do not go together (or with the study): bad usage, exit 2.
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    check.accept(config);
    out.print(said);
    out.flush();
    if (existing.isEmpty()) {
      checkFilesystem(out);
    }
    dir.create();
    DurableFiles.writeJson(dir.config(), config, true);
    return config;
  }

  /**
   * Before a new study is written: the filesystem's essentials (hps doctor's first checks, a few milliseconds). A
   * failed one refuses the study, unless {@code --unsafe-filesystem}; a warning is printed.
   */
  private void checkFilesystem(PrintWriter out) throws IOException {
    boolean created = !Files.isDirectory(study);
    Files.createDirectories(study);
    List<Finding> findings = FilesystemDoctor.essentials(study);
    for (Finding f : findings) {
      if (f.verdict() == Finding.Verdict.WARN) {
        out.printf("note: filesystem: %s: %s; %s%n", f.property(), f.seen(), f.meaning());
      }
    }
    List<Finding> failed = findings.stream().filter(f -> f.verdict() == Finding.Verdict.FAIL).toList();
    if (failed.isEmpty()) {
      return;
    }
    String what = failed.stream().map(f -> "  " + f.property() + ": " + f.seen() + "; " + f.meaning())
        .collect(java.util.stream.Collectors.joining("\n"));
    if (unsafeFilesystem) {
      out.printf("warning: --unsafe-filesystem: creating the study although its filesystem fails:%n%s%n", what);
      return;
    }
    if (created) {
      try {
        Files.deleteIfExists(study);
      } catch (IOException notEmpty) {
        // someone else's files appeared: leave them
      }
    }
    throw new io.hps.study.Patience.Fatal("the filesystem of " + study + " (" + FilesystemDoctor.describe(
        study.toAbsolutePath().getParent() == null ? study.toAbsolutePath() : study.toAbsolutePath().getParent())
        + ") lacks what a study needs:\n" + what + "\nhps doctor --study " + study + " shows every check;"
        + " --unsafe-filesystem creates the study anyway");
  }

  /** What the options ask for. */
  StudyRequest request() {
    for (String assignment : sets) {
      String problem = SearchSpace.assignmentProblem(assignment);
      if (problem != null) {
        if (spec == null) {
          throw new io.hps.space.SpaceException(problem);
        }
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), problem);
      }
    }
    SearchSpace given = space != null ? SearchSpace.read(space) : builtInSpace;
    return new StudyRequest(given, sets, new StudyRequest.Search(strategy, seed, trials, repeats, eta, minEpochs,
        checkpoints),
        new StudyRequest.Pace(batch, mode, lease, retries),
        new StudyRequest.Stop(stop, stopOptions()), aims());
  }

  private StudyRequest.Aims aims() {
    try {
      return new StudyRequest.Aims(objectives.stream().map(io.hps.protocol.Objective::parse).toList(),
          constraints.stream().map(io.hps.protocol.Constraint::parse).toList());
    } catch (IllegalArgumentException e) {
      if (spec == null) {
        throw e;
      }
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private StopOptions stopOptions() {
    try {
      return new StopOptions(stopMinEpochs, stopMinTrials, stopZ);
    } catch (IllegalArgumentException e) {
      if (spec == null) {
        throw e; // set from code (hps scenario), not from a command line
      }
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Checked before study.json is written (the local run's trainers); a refusal leaves nothing behind. */
  java.util.function.Consumer<StudyConfig> check = config -> { };
}
