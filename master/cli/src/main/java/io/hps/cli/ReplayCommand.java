package io.hps.cli;

import io.hps.plot.Charts;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.simulate.Curves;
import io.hps.simulate.Recorded;
import io.hps.simulate.Replay;
import io.hps.simulate.ReplayComparison;
import io.hps.simulate.SurrogateCurves;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hps replay}: strategies and stopping rules replayed over recorded learning curves. */
@Command(name = "replay", header = "Replay strategies and stopping rules over recorded learning curves.",
    mixinStandardHelpOptions = true,
    description = {"Runs the real master over an in-memory queue with --workers simulated workers on a simulated",
        "clock: each setting it proposes is answered with the nearest recorded curve (SOURCE: a study directory,",
        "or a CSV in Baker et al.'s format or a BUTTER summary), each epoch taking its recorded time (1 s where",
        "the recording has none). Stopping rules act as in a study: a worker sees a request when the epoch after",
        "the judged one ends. Prints, per method, the mean over --seeds seeds of the epochs trained, the training",
        "seconds, the simulated wall-clock time and the best final validation error, and draws best error",
        "against epochs in runs/replay/ (or --out; not with --json), and with several --objective the front's",
        "hypervolume against epochs. Without --strategy and --stop it compares",
        "random search, random search with median and with predicted stopping, successive halving and",
        "Hyperband."})
final class ReplayCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SOURCE", arity = "0..1",
      description = "Recorded curves: a study directory or a CSV file (or --surrogate).")
  Path source;

  @Option(names = "--surrogate", paramLabel = "COMMAND", description = {"Instead of SOURCE: a program that answers",
      "settings with curves (one JSON line of parameters in, one {\"valErrors\": [...], \"seconds\": [...]} line",
      "out; words split at spaces), e.g. examples/benchmarks/lcbench/surrogate.py. Needs --space."})
  String surrogate;

  @Option(names = "--space", paramLabel = "FILE", description = "With --surrogate: the search space (its 'epochs' is the full budget).")
  Path space;

  @Option(names = "--budgets", paramLabel = "EPOCHS", split = ",", description = {"With --json: also the mean best",
      "final validation error (and with several --objective the mean hypervolume) once",
      "these many epochs were trained, e.g. 520,1300,2600. Both NaN while a seed has no",
      "result yet; a seed whose results all break --constraint has no best error (NaN)",
      "but counts a hypervolume of 0."})
  List<Integer> budgets = new ArrayList<>();

  @Option(names = "--strategy", paramLabel = "NAME", description = "random, tpe, nsga2, successive-halving, hyperband, asha or bohb.")
  Strategy strategy;

  @Option(names = "--stop", paramLabel = "median|predicted", description = "A stopping rule (default: none).")
  Stopping stop;

  @Option(names = "--seeds", defaultValue = "20", description = "Seeds to replay (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--first-seed", paramLabel = "S", defaultValue = "1", description = {"The first seed: seeds S to",
      "S + --seeds - 1 (default: ${DEFAULT-VALUE}); another range checks a tuned",
      "method on seeds it was not tuned on."})
  long firstSeed;

  @Option(names = "--trials", paramLabel = "N", description = {"Settings for random search, first-rung settings for",
      "the halving strategies (default: the number of recorded curves)."})
  Integer trials;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
      description = "Simulated workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch", paramLabel = "K", description = {"Settings per synchronous batch, or in flight with",
      "--mode async (default: the number of workers)."})
  Integer batch;

  @Option(names = "--mode", paramLabel = "sync|async", defaultValue = "sync",
      description = "Synchronous batches or a window in flight (default: ${DEFAULT-VALUE}).")
  io.hps.protocol.Mode mode;

  @Option(names = "--eta", paramLabel = "N", description = "Halving factor (default: 3).")
  Integer eta;

  @Option(names = "--min-epochs", paramLabel = "N", description = "First-rung epochs (default: 1).")
  Integer minEpochs;

  @Option(names = "--continue-promoted", description = {"Model checkpoints: a promoted setting (halving strategies)",
      "continues its parent's training instead of retraining from scratch, so its parent's epochs are not",
      "spent again, as in a real study with checkpoints (the default of hps master and hps run).",
      "Without it the replay retrains, as a study created with --no-checkpoints does."})
  boolean continuePromoted;

  @Option(names = "--worker-failures", paramLabel = "P", defaultValue = "0", description = {"The chance that a",
      "setting's worker dies before it is done (after a random number of its epochs): its claim goes silent, the",
      "master requeues it when the lease (120 s) expires, and it is trained again (retries: 2), as in a study.",
      "Shows what lost workers cost in epochs and wall-clock time (default: 0)."})
  double workerFailures;

  @Option(names = "--objective", paramLabel = "METRIC[:max]", description = {"What the replayed study optimises;"
      + " repeat for several", "(valError, trainSeconds or elapsedSeconds: what replayed curves hold). With",
      "several: each method's mean hypervolume of the results that keep --constraint,",
      "objectives scaled over every result of this run; --json adds each seed's values."})
  List<String> objectives = new ArrayList<>();

  @Option(names = "--constraint", paramLabel = "METRIC<=V|METRIC>=V", description = {"A bound a feasible result keeps"
      + " (as hps run): the best error", "and the hypervolume count only results that keep it."})
  List<String> constraints = new ArrayList<>();

  @Option(names = "--exact", description = {"Instead of a comparison: run SOURCE's study again in the",
      "simulator with its strategy and configuration, feeding its master the study's",
      "own results in the order the real master accepted them (as its batches'",
      "provenance records), and check that it proposes the same settings in the same",
      "order. Takes no other option but --out: the replayed batch files go there (a",
      "new or empty folder outside the study). Exit 1 at the first difference."})
  boolean exact;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Option(names = "--out", paramLabel = "DIR", description = {"Where the figure goes (default: runs/replay); with",
      "--exact, where the replayed batch files go (default: nowhere)."})
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    if (exact) {
      return exact(log);
    }
    if (seeds < 1 || workers < 1 || (batch != null && batch < 1) || (trials != null && trials < 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--seeds, --workers, --batch and --trials must be at least 1");
    }
    if (budgets.stream().anyMatch(b -> b == null || b < 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--budgets: epochs trained, each at least"
          + " 1, not " + budgets);
    }
    if (!budgets.isEmpty() && !json) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--budgets goes with --json (the table"
          + " has no column for them)");
    }
    if (strategy == io.hps.protocol.Strategy.GRID) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "grid search is not replayed (its"
          + " points are fixed, not drawn): use random, tpe, successive-halving, hyperband, asha or bohb");
    }
    if (batch != null && batch > io.hps.master.StudyRequest.MAX_BATCH || trials != null
        && trials > io.hps.master.StudyRequest.MAX_BATCH * 10) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch is at most "
          + io.hps.master.StudyRequest.MAX_BATCH + " and --trials at most " + io.hps.master.StudyRequest.MAX_BATCH * 10);
    }
    if ((source == null) == (surrogate == null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give recorded curves (SOURCE) or"
          + " --surrogate COMMAND, one of them");
    }
    if (surrogate != null && space == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--surrogate needs --space FILE");
    }
    if (surrogate != null) {
      io.hps.space.SearchSpace s = io.hps.space.SearchSpace.read(space);
      int full = s.parameters().stream().filter(p -> p.name().equals("epochs") && p instanceof io.hps.space.Fixed)
          .map(p -> ((Number) ((io.hps.space.Fixed) p).value()).intValue()).findFirst()
          .orElseThrow(() -> new io.hps.space.SpaceException(space + ": a surrogate's space needs a fixed 'epochs'"));
      try (SurrogateCurves curves = new SurrogateCurves(List.of(surrogate.trim().split("\\s+")), s, full)) {
        return replay(curves, space.getFileName().toString(), log);
      }
    }
    return replay(Recorded.read(source, log), source.getFileName().toString(), log);
  }

  /** {@code --exact}: the study in SOURCE replayed as its master accepted its results. */
  private int exact(PrintWriter log) throws Exception {
    List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
        .map(o -> o.longestName()).filter(n -> !n.equals("--exact") && !n.equals("--out")).toList();
    if (!others.isEmpty() || source == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--exact takes a study directory as"
          + " SOURCE and of the other options only --out (the study's own strategy, objectives, pace and results"
          + " decide)" + (others.isEmpty() ? "" : "; not " + String.join(", ", others)));
    }
    if (!java.nio.file.Files.isDirectory(source) || !java.nio.file.Files.exists(source.resolve("study.json"))) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), source + " is not a study directory"
          + " (no study.json there)");
    }
    if (out != null) {
      Path o = out.toAbsolutePath().normalize();
      if (o.startsWith(source.toAbsolutePath().normalize())) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is inside the"
            + " study: the replayed batches would overwrite or mix with its own; choose a folder outside it");
      }
      if (java.nio.file.Files.isDirectory(o)) {
        try (var entries = java.nio.file.Files.list(o)) {
          if (entries.findAny().isPresent()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is not empty:"
                + " replayed batches mixed with older files would look complete when they are not; give a new or"
                + " empty folder");
          }
        }
      }
    }
    io.hps.verify.StudyRecord study = io.hps.verify.StudyRecord.read(io.hps.study.StudyDirectory.existing(source));
    if (study.batches().isEmpty()) {
      log.printf("NOT reproduced: %s has no batch files (batches/), so nothing records what its master proposed;"
          + " there is nothing to replay%n", source);
      log.flush();
      return 1;
    }
    io.hps.verify.ExactReplay.Outcome outcome = io.hps.verify.ExactReplay.run(study);
    if (out != null) {
      java.nio.file.Files.createDirectories(out);
      for (io.hps.protocol.Batch b : outcome.batches()) {
        io.hps.json.Json.MAPPER.writeValue(out.resolve(io.hps.protocol.Batch.fileName(b.batch())).toFile(), b);
      }
    }
    int settings = outcome.batches().stream().mapToInt(b -> b.settings().size()).sum();
    if (outcome.difference().isPresent()) {
      long same = outcome.batches().stream().filter(b -> study.batches().stream().anyMatch(r -> r.batch() == b.batch()
          && io.hps.verify.ExactReplay.difference(r, b).isEmpty())).count();
      log.printf("NOT reproduced: %s%n(%d of %d batches replayed identically before it)%n",
          outcome.difference().get(), same, study.batches().size());
      return 1;
    }
    log.printf("reproduced: %d batches, %d settings, identical to %s's in the same order%s%n",
        outcome.batches().size(), settings, source, out == null ? "" : "; replayed batches in " + out);
    return 0;
  }

  private int replay(Curves recorded, String name, PrintWriter log) throws Exception {
    int n = trials != null ? trials : recorded instanceof Recorded r ? r.runs().size() : 50;
    Replay.Setup setup = Replay.Setup.of(n).halving(eta, minEpochs).workers(workers)
        .batch(batch != null ? batch : workers, mode).continuing(continuePromoted);
    try {
      setup = setup.failing(workerFailures);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--worker-failures: " + e.getMessage());
    }
    io.hps.master.StudyRequest.Aims aims;
    try {
      aims = new io.hps.master.StudyRequest.Aims(objectives.stream().map(io.hps.protocol.Objective::parse).toList(),
          constraints.stream().map(io.hps.protocol.Constraint::parse).toList());
      setup = setup.aiming(aims);
      java.util.Set<String> named = new java.util.LinkedHashSet<>();
      aims.objectives().forEach(o -> named.add(o.metric()));
      aims.constraints().forEach(c -> named.add(c.metric()));
      named.removeAll(Replay.METRICS);
      if (!named.isEmpty()) {
        throw new IllegalArgumentException("replayed curves hold the validation error and each epoch's time only:"
            + " objectives and constraints can name " + String.join(", ", Replay.METRICS) + ", not "
            + String.join(", ", named));
      }
      io.hps.protocol.StudyConfig.builder(recorded.space().toJson(), strategy == null ? Strategy.RANDOM : strategy)
          .stop(stop, null).objectives(aims.objectives(), aims.constraints()).build(); // refuses what cannot go together
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (aims.objectives().size() > 1 && strategy == null && stop == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "several objectives need --strategy: the"
          + " five-method comparison includes stopping rules, which judge validation error alone");
    }
    List<ReplayComparison> methods = new ArrayList<>();
    if (strategy == null && stop == null) {
      for (ReplayComparison.Method m : ReplayComparison.METHODS) {
        methods.add(ReplayComparison.of(recorded, m.strategy(), m.stop(), firstSeed, seeds, setup));
      }
    } else {
      methods.add(ReplayComparison.of(recorded, strategy == null ? Strategy.RANDOM : strategy, stop, firstSeed,
          seeds, setup));
    }
    boolean several = aims.objectives().size() > 1;
    io.hps.simulate.ObjectiveScale scale = several ? io.hps.simulate.ObjectiveScale.of(methods, aims.objectives())
        : null;
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ReplayComparison m : methods) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("strategy", m.strategy());
        row.put("stop", m.stop());
        row.put("seeds", m.seeds());
        row.put("firstSeed", firstSeed);
        row.put("workers", workers);
        row.put("meanEpochs", m.meanEpochs());
        row.put("meanBest", m.meanBest());
        row.put("meanSeconds", m.meanSeconds());
        row.put("meanWallSeconds", m.meanWallSeconds());
        if (workerFailures > 0) {
          row.put("workerFailures", workerFailures);
          row.put("meanLostAttempts", m.meanLost());
        }
        if (aims.objectives().size() > 1 || !aims.constraints().isEmpty()) {
          row.put("objectives", aims.objectives().stream().map(Object::toString).toList());
          row.put("meanHypervolume", several ? scale.meanHypervolume(m) : null);
          row.put("objectiveValues", m.replays().stream().map(io.hps.simulate.Replay::values).toList());
        }
        if (!budgets.isEmpty()) {
          Map<String, Object> at = new LinkedHashMap<>();
          budgets.forEach(b -> at.put(String.valueOf(b), m.meanBestAfter(b)));
          row.put("bestAfterEpochs", at);
          if (several) {
            Map<String, Object> volumeAt = new LinkedHashMap<>();
            budgets.forEach(b -> volumeAt.put(String.valueOf(b), m.meanHypervolumeAfter(b, scale)));
            row.put("hypervolumeAfterEpochs", volumeAt);
          }
        }
        rows.add(row);
      }
      log.println(io.hps.json.Json.MAPPER.writeValueAsString(rows.size() == 1 ? rows.get(0) : rows));
      log.flush();
      return 0;
    }
    if (!aims.constraints().isEmpty()) {
      log.printf("constraints %s: the best error and the hypervolume count only the results that keep them%n",
          String.join(", ", constraints));
    }
    log.printf(Locale.ROOT, "%s from %s (up to %d epochs), %d seed%s%s, %d settings, %d worker(s),"
        + " %s batches of %d%n", recorded instanceof Recorded r ? r.runs().size() + " recorded curves" : "curves",
        recorded instanceof Recorded ? source : surrogate, recorded.maxEpochs(), seeds, seeds == 1 ? "" : "s",
        firstSeed == 1 ? "" : " (" + firstSeed + " to " + (firstSeed + seeds - 1) + ")", n, workers,
        setup.mode().json(), setup.batch());
    if (workerFailures > 0) {
      log.printf(Locale.ROOT, "each setting's worker dies before it is done with chance %.2f; its lease (120 s)"
          + " expires and the setting is trained again%n", workerFailures);
    }
    log.printf(Locale.ROOT, "%-40s %12s %10s %14s %14s %12s%s%n", "method", "mean epochs", "vs random",
        "training s", "wall-clock s", "best error", workerFailures > 0 ? "   lost attempts" : "");
    // "vs random": epochs against the first method's, when that is plain random search
    boolean againstRandom = "random".equals(methods.get(0).method());
    double base = methods.get(0).meanEpochs();
    for (ReplayComparison m : methods) {
      log.printf(Locale.ROOT, "%-40s %12.0f %10s %14.0f %14.0f %12s%s%n", m.method(), m.meanEpochs(),
          againstRandom ? String.format(Locale.ROOT, "%.1fx", base / m.meanEpochs()) : "-", m.meanSeconds(),
          m.meanWallSeconds(), Double.isNaN(m.meanBest()) ? "none" : String.format(Locale.ROOT, "%.4f", m.meanBest()),
          workerFailures > 0 ? String.format(Locale.ROOT, " %16.1f", m.meanLost()) : "");
    }
    if (methods.stream().anyMatch(m -> Double.isNaN(m.meanBest()))) {
      log.printf("none: a seed ended without a best result (no result finished%s)%n", aims.constraints().isEmpty()
          ? "" : " that keeps the constraints when trained for its whole budget");
    }
    if (several) {
      log.printf("objectives %s: mean hypervolume of each seed's front, each objective scaled to [0, 1] over every"
          + " result of this run, reference point 1.1%n", String.join(", ", objectives));
      methods.forEach(m -> log.printf(Locale.ROOT, "%-40s %12.4f%n", m.method(), scale.meanHypervolume(m)));
    }
    Path target = out != null ? out : Path.of("runs", "replay");
    String titled = constraints.isEmpty() ? name : name + " within " + String.join(", ", constraints);
    List<io.hps.plot.Figure> figures = new ArrayList<>(List.of(ReplayComparison.figure(methods, titled)));
    if (several) {
      figures.add(ReplayComparison.hypervolumeFigure(methods, titled, scale, objectives));
    }
    for (io.hps.plot.Figure figure : figures) {
      for (Path file : Charts.write(figure, target)) {
        log.printf("wrote %s%n", file);
      }
    }
    log.flush();
    return 0;
  }
}
