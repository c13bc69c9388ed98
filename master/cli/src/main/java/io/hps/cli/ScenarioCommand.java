package io.hps.cli;

import io.hps.protocol.Result;
import io.hps.protocol.StudyConfig;
import io.hps.scenario.Scenario;
import io.hps.scenario.ScenarioReport;
import io.hps.space.SearchSpace;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hps scenario N}: one of the course exercise's scenarios, from search to report. */
@Command(name = "scenario", header = "Run a course scenario (1-6): study, raw tables, figures, report.",
    mixinStandardHelpOptions = true,
    description = {"Run scenario N (1-6) of the course exercise with the master and local workers, then write",
        "raw/ (one text table per run) and raw.zip, plots/ (PNG and SVG) and report.html into the study",
        "directory. Running it again reuses finished results and resumes an interrupted run.",
        "  1 learning rate   2 batch size x LR   3 momentum x LR   4 number of filters",
        "  5 random search (simulated searches, coordinate-wise plots)   6 parallel workers (timeline, speed-up)"})
final class ScenarioCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "N", description = "The scenario, 1 to 6.")
  int number;

  @Option(names = "--quick", description = {"Small and fast: 1000 training and validation images (500 for",
      "scenario 4), 3 epochs, fewer settings; the same pipeline. About a minute or less each on a 2-core CPU."})
  boolean quick;

  @Option(names = "--study", paramLabel = "DIR", description = "Study directory (default: runs/scenario-N, or runs/scenario-N-quick).")
  Path study;

  @Option(names = "--space", paramLabel = "FILE", description = "Search-space file (default: the built-in search-spaces/scenarioN.json).")
  Path space;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Fix a parameter (repeatable), after --quick's values.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--trials", paramLabel = "N", description = "Settings to try (scenarios 5 and 6: 100 and 20, with --quick 20 and 8).")
  Integer trials;

  @Option(names = "--seed", description = "Seed of the search and of training (default: 42).")
  Long seed;

  @Option(names = "--workers", paramLabel = "N", description = "Local worker processes (default: 2 for scenario 6, else 1).")
  Integer workers;

  @Option(names = "--devices", split = ",", paramLabel = "0,1", description = "GPUs, one per worker in turn (CUDA builds).")
  List<String> devices = new ArrayList<>();

  @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory for the workers (see hps worker --help).")
  Path dataDir;

  @picocli.CommandLine.Mixin
  PluginOptions plugins;

  @Option(names = "--poll-ms", defaultValue = "100", description = "Polling interval of master and workers (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Option(names = "--report-only", description = {"Only write raw/, plots/ and report.html from the study's results so",
      "far (a study of hps scenario, or of the Python master); reads the study, changes none of its files."})
  boolean reportOnly;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Scenario scenario;
    try {
      scenario = Scenario.number(number);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    int n = workers == null ? scenario.workers() : workers;
    if (n < 1) {
      throw new ParameterException(spec.commandLine(), "--workers must be at least 1");
    }
    PrintWriter out = TimestampedLog.of(spec.commandLine().getOut(), java.time.Clock.systemUTC());
    Path root = study != null ? study : Path.of("runs", "scenario-" + number + (quick ? "-quick" : ""));
    long start = System.nanoTime();
    StudyConfig config;
    if (reportOnly) {
      config = existing(root);
    } else {
      StudyOptions options = options(scenario, root);
      var registry = plugins.registry();
      options.check = c -> LocalRun.checkTrainers(c, registry);
      config = options.resolve(n, out);
      LocalRun.run(new StudyDirectory(root), config, LocalRun.workerArgs(n, devices, dataDir, pollMillis,
          plugins.workerArgs()), pollMillis, out);
    }
    List<Result> oneWorker = List.of();
    String oneWorkerMissing = null;
    if (scenario.has(Scenario.Analysis.SPEED_UP)) {
      Path serial = root.resolve("one-worker");
      if (!reportOnly) {
        StudyConfig serialConfig = options(scenario, serial).resolve(1, out);
        out.printf("scenario %d: the same settings with one worker, for the speed-up (%s)%n", number, serial);
        LocalRun.run(new StudyDirectory(serial), serialConfig, LocalRun.workerArgs(1,
            devices.isEmpty() ? List.of() : devices.subList(0, 1), dataDir, pollMillis, plugins.workerArgs()),
            pollMillis, out);
      }
      if (java.nio.file.Files.isRegularFile(new StudyDirectory(serial).config())) {
        oneWorker = results(serial, out);
      } else {
        oneWorkerMissing = serial + " has no study: run the same settings with one worker there (hps scenario 6"
            + " does it after the two-worker run; with the Python master, python3 -m hps_worker.scenario6 does)";
        out.printf("scenario %d: %s%n", number, oneWorkerMissing);
      }
    }
    List<Result> results = results(root, out);
    SearchSpace used = SearchSpace.parse(config.space(), root.resolve("study.json").toString());
    if (!used.name().equals(scenario.space().name())) {
      out.printf("note: %s was made with the space '%s', not scenario %d's '%s'%n", root, used.name(), number,
          scenario.space().name());
    }
    boolean smaller = config.sets().containsAll(scenario.quickSets());
    List<String> changed = new ArrayList<>(config.sets());
    Integer asked = scenario.trials(false);
    if (asked != null && config.trials() != asked) {
      changed.add(config.trials() + " settings instead of " + asked);
    }
    String description = used.description() + (changed.isEmpty() ? "" : " This run changed: "
        + String.join(", ", changed) + (smaller ? " (--quick)" : "") + ".");
    String report = Commands.typed(spec.commandLine());
    Path page = ScenarioReport.write(new ScenarioReport.Run(scenario, used, description,
        config.createdBy(), report, smaller, oneWorkerMissing), root, results,
        oneWorker);
    out.printf("scenario %d (%s): %d results; raw tables in %s, figures in %s, report %s (%.0f s)%n", number,
        scenario.title(), results.size(), root.resolve("raw.zip"), root.resolve("plots"), page,
        (System.nanoTime() - start) / 1e9);
    out.flush();
    return LocalRun.exitCode(io.hps.status.StudyStatus.of(new StudyDirectory(root)), out);
  }

  /**
   * The study as it is, for --report-only: nothing is created, resumed or checked against options (a study
   * made by the Python master, or with other --set values, is reported as it was run).
   */
  private StudyConfig existing(Path root) throws java.io.IOException {
    List<String> given = new ArrayList<>();
    if (space != null) {
      given.add("--space");
    }
    if (!sets.isEmpty()) {
      given.add("--set");
    }
    if (trials != null) {
      given.add("--trials");
    }
    if (seed != null) {
      given.add("--seed");
    }
    if (workers != null) {
      given.add("--workers");
    }
    if (!devices.isEmpty()) {
      given.add("--devices");
    }
    if (!given.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--report-only reports the study as it was run; leave out "
          + String.join(", ", given));
    }
    StudyDirectory dir = StudyDirectory.existing(root);
    return dir.readConfig().orElseThrow(() -> new java.nio.file.NoSuchFileException(dir.config()
        + " (no study here to report on: run hps scenario " + number + " without --report-only first)"));
  }

  private StudyOptions options(Scenario scenario, Path dir) {
    StudyOptions o = new StudyOptions();
    o.study = dir;
    o.space = space;
    o.builtInSpace = space == null ? scenario.space() : null;
    if (quick) {
      o.sets.addAll(scenario.quickSets());
    }
    o.sets.addAll(sets);
    o.createdBy = Commands.typed(spec.commandLine());
    o.strategy = scenario.strategy();
    o.seed = seed;
    o.repeats = scenario.repeats(quick);
    o.trials = trials != null ? trials : scenario.trials(quick);
    return o;
  }

  private static List<Result> results(Path dir, PrintWriter out) throws java.io.IOException {
    return new StudyDirectory(dir).readResults((name, why) -> out.printf("skipping %s: %s%n", name, why));
  }
}
