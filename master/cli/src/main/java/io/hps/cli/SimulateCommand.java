package io.hps.cli;

import io.hps.plot.Charts;
import io.hps.protocol.Result;
import io.hps.simulate.Recorded;
import io.hps.simulate.ReplayComparison;
import io.hps.simulate.Reshuffle;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps simulate}: reshuffled random-search curves of a finished study. */
@Command(name = "simulate", header = "Reshuffled random searches, or replays of strategies over recorded curves.",
    mixinStandardHelpOptions = true,
    description = {"Simulate random searches from a study's finished results: take them in a random order,",
        "--runs times, and track the best validation error found after 1, 2, ... evaluations. Writes",
        "best-so-far.csv (median, quartiles, the shown runs) and a figure, in DIR/simulate by default.",
        "",
        "With --replay SOURCE: replay a strategy and stopping rule over recorded learning curves (a study",
        "directory, or a CSV: Baker et al.'s format or a BUTTER summary) for --seeds seeds: epochs trained and",
        "the best final validation error found. Without --strategy and --stop it compares random search, random",
        "search with median and with predicted stopping, successive halving and Hyperband (table and figure)."})
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--study", paramLabel = "DIR", description = "The study directory whose results to reshuffle.")
  Path study;

  @Option(names = "--replay", paramLabel = "SOURCE", description = "Recorded curves: a study directory or a CSV file.")
  Path replay;

  @Option(names = "--strategy", paramLabel = "NAME", description = "With --replay: random, successive-halving or hyperband.")
  io.hps.strategy.Strategy strategy;

  @Option(names = "--stop", paramLabel = "median|predicted", description = "With --replay: a stopping rule (default: none).")
  io.hps.stopping.Stopping stop;

  @Option(names = "--seeds", defaultValue = "20", description = "With --replay: seeds to replay (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--trials", paramLabel = "N", description = {"With --replay: settings for random search, first-rung",
      "settings for successive halving (default: the number of recorded curves)."})
  Integer trials;

  @Option(names = "--eta", paramLabel = "N", description = "With --replay: halving factor (default: 3).")
  Integer eta;

  @Option(names = "--min-epochs", paramLabel = "N", description = "With --replay: first-rung epochs (default: 1).")
  Integer minEpochs;

  @Option(names = "--json", description = "With --replay: print the summary as JSON.")
  boolean json;

  @Option(names = "--runs", defaultValue = "1000", description = "Simulated runs (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--show", defaultValue = "20", description = "Runs drawn in the figure (default: ${DEFAULT-VALUE}).")
  int show;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the reshuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: the study's simulate/).")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    if (replay != null) {
      return replay(log);
    }
    if (study == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --study DIR (or --replay SOURCE)");
    }
    StudyDirectory dir = StudyDirectory.existing(study);
    List<Result> results = dir.readResults((name, why) -> log.printf("skipping %s: %s%n", name, why));
    List<Double> errors = results.stream().flatMap(r -> r.objective().stream()).toList();
    int skipped = results.size() - errors.size();
    if (errors.isEmpty()) {
      throw new IllegalArgumentException(study + " has no finished result with a validation error to reshuffle");
    }
    Reshuffle sim = Reshuffle.of(errors.stream().mapToDouble(Double::doubleValue).toArray(), runs, seed);
    Path target = out != null ? out : dir.root().resolve("simulate");
    Files.createDirectories(target);
    Files.writeString(target.resolve("best-so-far.csv"), sim.csv(show));
    Charts.write(sim.figure(show), target);
    int n = errors.size();
    log.printf("%d results (%d without a validation error skipped), %d runs: median best after 1 evaluation %.4f,"
        + " after %d %.4f; wrote %s%n", n, skipped, runs, sim.median()[0], n, sim.median()[n - 1], target);
    log.flush();
    return 0;
  }

  private int replay(PrintWriter log) throws Exception {
    Recorded recorded = Recorded.read(replay);
    int n = trials != null ? trials : recorded.runs().size();
    List<ReplayComparison> methods = new java.util.ArrayList<>();
    if (strategy == null && stop == null) {
      for (ReplayComparison.Method m : ReplayComparison.METHODS) {
        methods.add(ReplayComparison.of(recorded, m.strategy(), m.stop(), seeds, n, eta, minEpochs));
      }
    } else {
      methods.add(ReplayComparison.of(recorded, strategy == null ? io.hps.strategy.Strategy.RANDOM : strategy, stop,
          seeds, n, eta, minEpochs));
    }
    if (json) {
      List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
      for (ReplayComparison m : methods) {
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("strategy", m.strategy());
        row.put("stop", m.stop());
        row.put("seeds", m.seeds());
        row.put("meanEpochs", m.meanEpochs());
        row.put("meanBest", m.meanBest());
        row.put("meanSeconds", m.meanSeconds());
        rows.add(row);
      }
      log.println(io.hps.json.Json.MAPPER.writeValueAsString(rows.size() == 1 ? rows.get(0) : rows));
      log.flush();
      return 0;
    }
    log.printf("%d recorded curves from %s (up to %d epochs), %d seeds, %d settings%n", recorded.runs().size(), replay,
        recorded.maxEpochs(), seeds, n);
    log.printf("%-40s %12s %12s %14s%n", "method", "mean epochs", "vs random", "mean best error");
    double base = methods.get(0).meanEpochs();
    for (ReplayComparison m : methods) {
      log.printf(java.util.Locale.ROOT, "%-40s %12.0f %11.1fx %14.4f%n", m.method(), m.meanEpochs(), base / m.meanEpochs(),
          m.meanBest());
    }
    Path target = out != null ? out : Path.of("runs", "replay");
    for (Path file : Charts.write(ReplayComparison.figure(methods, replay.getFileName().toString()), target)) {
      log.printf("wrote %s%n", file);
    }
    log.flush();
    return 0;
  }
}
