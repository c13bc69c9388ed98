package io.hps.scenario;

import io.hps.plot.Charts;
import io.hps.plot.Coordinates;
import io.hps.plot.Figure;
import io.hps.plot.LearningCurves;
import io.hps.plot.Series;
import io.hps.plot.Timeline;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.scenario.Scenario.Analysis;
import io.hps.simulate.Reshuffle;
import io.hps.space.Parameter;
import io.hps.space.Range;
import io.hps.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything a scenario hands in, written into its study directory: {@code raw/} and {@code raw.zip},
 * {@code plots/} (PNG and SVG of each figure the exercise asks for) and a self-contained
 * {@code report.html} with the figures, the facts the sheet's questions need (computed from the
 * results, not written for the student) and a table of every setting.
 */
public final class ScenarioReport {
  /** Simulated random searches drawn from the results (scenario 5), and how many are shown. */
  static final int SIMULATED_RUNS = 1000;
  static final int SHOWN_RUNS = 20;
  /** Scenario 4's questions: the best NF within this many training seconds, and within this many epochs. */
  static final double BUDGET_SECONDS = 10;
  static final int BUDGET_EPOCHS = 50;

  private ScenarioReport() {}

  /**
   * What the report is about: the scenario, the study's space and what the run changed in it, the command
   * that created the study (null when study.json does not record it) and the one that wrote this report, whether it is a {@code --quick} run, and why
   * the one-worker run is missing (null when it is there or not needed).
   */
  public record Run(Scenario scenario, SearchSpace space, String description, String command, String reportCommand,
      boolean quick, String oneWorkerMissing) {
    /** A report written by the command that ran the study. */
    public Run(Scenario scenario, SearchSpace space, String description, String command, boolean quick) {
      this(scenario, space, description, command, command, quick, null);
    }
  }

  /**
   * Writes the raw tables, figures and report of {@code results}; {@code oneWorker} holds the results of
   * the one-worker run for the speed-up (empty unless the scenario measures one). Returns the report.
   */
  public static Path write(Run run, Path root, List<Result> results, List<Result> oneWorker) throws IOException {
    Scenario scenario = run.scenario();
    RawTables.writeTables(results, root);
    List<Path> zipped = new ArrayList<>(List.of(root.resolve("raw")));
    if (!oneWorker.isEmpty()) {
      RawTables.writeTables(oneWorker, root.resolve("one-worker"));
      zipped.add(root.resolve("one-worker").resolve("raw"));
    }
    Path plots = root.resolve("plots");
    String prefix = "Scenario " + scenario.number() + ": ";
    List<RunFacts> facts = results.stream().sorted(Comparator.comparing(Result::id)).map(RunFacts::of).toList();
    // The figures the sheet asks for first (its learning curves, then the scenario's analyses), then the other
    // learning curves: training loss, validation loss and validation error against epochs and against training
    // time, so every scenario has all six.
    List<Figure> figures = new ArrayList<>();
    List<Figure> others = new ArrayList<>();
    List<Figure> curves = LearningCurves.of(results).stream()
        .map(f -> scenario == Scenario.FILTERS && f.name().equals("val-error-vs-time")
            ? withFront(withBudget(f, facts), results) : f)
        .toList();
    for (String name : scenario.curves()) {
      curves.stream().filter(f -> f.name().equals(name)).forEach(figures::add);
    }
    curves.stream().filter(f -> !scenario.curves().contains(f.name())).forEach(others::add);
    Reshuffle simulated = null;
    double[] errors = results.stream().flatMap(r -> r.objective().stream()).mapToDouble(Double::doubleValue).toArray();
    if (scenario.has(Analysis.SIMULATED_SEARCH) && errors.length > 0) {
      simulated = Reshuffle.of(errors, SIMULATED_RUNS, 1);
      figures.add(simulated.figure(SHOWN_RUNS));
      Files.createDirectories(root.resolve("simulate"));
      Files.writeString(root.resolve("simulate").resolve("best-so-far.csv"), simulated.csv(SHOWN_RUNS));
      zipped.add(root.resolve("simulate").resolve("best-so-far.csv"));
    }
    if (scenario.has(Analysis.COORDINATES)) {
      figures.addAll(Coordinates.of(results, run.space()));
    }
    if (scenario.has(Analysis.TIMELINE)) {
      figures.add(Timeline.of(results));
    }
    RawTables.zip(root, zipped);
    int asked = figures.size();
    figures.addAll(others);

    Html html = new Html(prefix + scenario.title());
    html.paragraph("The exercise's setting: " + run.description());
    html.paragraph("This run: " + thisRun(results, run.quick()));
    if (run.command() != null) {
      html.paragraph("The study was made by:");
      html.code(run.command());
    } else {
      html.paragraph("The study does not record the command that made it (its study.json has no createdBy: an"
          + " earlier version of hps made it).");
    }
    if (!run.reportCommand().equals(run.command())) {
      html.paragraph("This report was written by:");
      html.code(run.reportCommand());
    }
    html.paragraph(summary(results));
    List<io.hps.status.StudyStatus.Failure> failures = io.hps.status.StudyStatus.Failure.of(results);
    if (!failures.isEmpty()) {
      long failed = results.stream().filter(r -> r.status() == Status.FAILED).count();
      html.paragraph((failed == results.size() ? "Every setting failed, so the figures have nothing to draw."
          : failed + " of " + results.size() + " settings failed; the figures and tables leave them out.")
          + " Why (settings, reason):");
      html.table(List.of("settings", "reason"), failures.stream().limit(10).map(f -> List.of(f.count() + ": "
          + String.join(", ", f.ids()) + (f.count() > f.ids().size() ? ", ..." : ""),
          io.hps.status.StatusTable.oneLine(f.reason()))).toList());
    }
    if (scenario.has(Analysis.SPEED_UP)) {
      speedUp(html, results, oneWorker, run.oneWorkerMissing());
    }
    html.heading(2, "Figures the exercise asks for");
    for (int i = 0; i < figures.size(); i++) {
      Figure f = figures.get(i);
      if (i == asked) {
        html.heading(2, "The other learning curves");
      }
      Figure titled = f.titled(prefix + f.title());
      Charts.write(titled, plots);
      html.figure(plots.resolve(f.name() + ".png"), titled.title() + " (plots/" + f.name() + ".png, .svg)");
    }
    html.heading(2, "Facts for the questions");
    switch (scenario) {
      case LEARNING_RATE -> randomness(html, facts);
      case BATCH_SIZE -> batchSizes(html, facts);
      case MOMENTUM -> {
        html.paragraph("Final validation errors by momentum (over the learning rates and repeats):");
        spread(html, facts, "m");
      }
      case FILTERS -> {
        budgets(html, facts);
        front(html, results);
      }
      case RANDOM_SEARCH -> {
        ranges(html, facts, run.space());
        importance(html, results, run.space());
      }
      default -> html.paragraph("See the speed-up above and the timeline.");
    }
    if (simulated != null) {
      int n = errors.length;
      html.paragraph(String.format(Locale.ROOT, "Simulated random search over the %d finished results, %d runs:"
          + " median best validation error %s after 1 evaluation, %s after %d, %s after %d"
          + " (simulate/best-so-far.csv).", n, SIMULATED_RUNS, Numbers.shown(simulated.median()[0]),
          Numbers.shown(simulated.median()[n / 4]), n / 4 + 1, Numbers.shown(simulated.median()[n - 1]), n));
    }
    List<String> varied = LearningCurves.varied(results);
    if (scenario.has(Analysis.BEST)) {
      html.heading(2, "Best settings");
      html.table(header(varied), facts.stream().filter(f -> f.result().objective().isPresent())
          .sorted(Comparator.comparing(f -> f.result().objective().orElseThrow())).limit(10)
          .map(f -> row(f, varied)).toList());
    }
    html.heading(2, "Every setting");
    html.paragraph("Seconds per epoch are medians over the run's epochs: training (the minibatch steps) and"
        + " validation apart; the first epoch's warm-up is not in them. Raw curves: raw/<id>.txt (epoch,"
        + " training loss, validation loss, validation error, seconds since training started, training and"
        + " validation seconds of the epoch), index raw/settings.txt, all zipped in raw.zip.");
    html.table(header(varied), facts.stream().map(f -> row(f, varied)).toList());
    Path report = root.resolve("report.html");
    html.write(report);
    return report;
  }

  /** The run's actual sizes, from its results: settings, repeats, epochs, images. */
  static String thisRun(List<Result> results, boolean quick) {
    Map<Integer, Long> perPoint = results.stream().collect(Collectors.groupingBy(Result::point, Collectors.counting()));
    long repeats = perPoint.values().stream().mapToLong(Long::longValue).max().orElse(0);
    String epochs = distinct(results, "epochs");
    String model = distinct(results, "model");
    String data = results.stream().noneMatch(r -> r.params().has("trainSize")) ? ""
        : String.format(Locale.ROOT, ", trained on %s and validated on %s %s", distinct(results, "trainSize"),
        distinct(results, "valSize"), model.equals("synthetic")
        ? "(made-up) examples: the synthetic model draws curves, it trains nothing" : "MNIST images");
    return String.format(Locale.ROOT, "%d settings (%d points x %d repeat%s), %s epochs, model %s%s%s.", results.size(),
        perPoint.size(), repeats, repeats == 1 ? "" : "s", epochs, model, data,
        quick ? " (--quick: smaller than the exercise's setting above, so errors are higher and times shorter)"
        : "");
  }

  private static String distinct(List<Result> results, String name) {
    List<String> values = results.stream().filter(r -> r.params().has(name))
        .map(r -> String.valueOf(r.params().get(name))).distinct().sorted().toList();
    return values.isEmpty() ? "?" : String.join(" or ", values);
  }

  /** Counts by status and the time the trials took. */
  static String summary(List<Result> results) {
    Map<Status, Long> counts = results.stream().collect(Collectors.groupingBy(Result::status,
        () -> new java.util.EnumMap<>(Status.class), Collectors.counting()));
    Parallelism p = Parallelism.of(results);
    String byStatus = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().json())
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "%d results (%s), published by %d worker(s); trials took %.0f s in all, %.0f s"
        + " from the first claim to the last result.", results.size(), byStatus, p.workers(), p.busySeconds(),
        p.spanSeconds());
  }

  /** Scenario 1: where run-to-run differences come from, and how large they were here. */
  static void randomness(Html html, List<RunFacts> facts) {
    html.paragraph("Sources of randomness in this implementation: (1) the initial weights (Glorot uniform), (2)"
        + " the dropout masks, (3) the order of the minibatches; all three come from one random generator"
        + " seeded with the setting's seed, so repeats (seeds 42, 43, ...) differ in all three at once. (4) The"
        + " native library sums in parallel threads, in an order that can vary from run to run; it changes the"
        + " last digits of a loss, and over many steps can change a curve a little even with the same seed."
        + " To see (1)-(3), compare the repeats below; to see (4) alone, run one setting twice with the same"
        + " seed (hps run --space search-spaces/scenario1.json --set lr=0.05 --set seed=42 --trials 1 --study"
        + " runs/same-a, then the same with --study runs/same-b) and compare their raw tables.");
    spread(html, facts, "lr");
  }

  /** Per value of {@code name}: the final validation errors of its repeats, their range. */
  static void spread(Html html, List<RunFacts> facts, String name) {
    Map<Double, List<RunFacts>> byValue = new TreeMap<>(facts.stream().filter(f -> f.result().params().has(name))
        .collect(Collectors.groupingBy(f -> f.result().params().getDouble(name))));
    List<List<String>> rows = new ArrayList<>();
    byValue.forEach((value, runs) -> {
      // A run without epochs (failed) has no error: its status says why, not "NaN".
      double[] finals = runs.stream().mapToDouble(RunFacts::finalError).filter(Double::isFinite).toArray();
      double lo = java.util.Arrays.stream(finals).min().orElse(Double.NaN);
      double hi = java.util.Arrays.stream(finals).max().orElse(Double.NaN);
      rows.add(List.of(Numbers.shown(value), String.valueOf(runs.size()), runs.stream().map(f -> Double.isFinite(
          f.finalError()) ? Numbers.shown(f.finalError()) : f.result().status().json()).collect(Collectors.joining(
          ", ")), finals.length < 2 ? "-" : Numbers.shown(hi - lo)));
    });
    html.table(List.of(name, "runs", "final validation errors", "max - min"), rows);
  }

  /** Scenario 2: time per epoch and per step against batch size: why the time curves end where they do. */
  static void batchSizes(Html html, List<RunFacts> facts) {
    Map<Double, List<RunFacts>> byBs = new TreeMap<>(facts.stream().filter(f -> f.result().params().has("bs"))
        .collect(Collectors.groupingBy(f -> f.result().params().getDouble("bs"))));
    List<List<String>> rows = new ArrayList<>();
    byBs.forEach((bs, runs) -> {
      double perEpoch = RunFacts.median(runs.stream().filter(f -> f.trainSeconds().isPresent())
          .mapToDouble(f -> f.trainSeconds().getAsDouble()).toArray()).orElse(Double.NaN);
      Integer steps = runs.get(0).steps();
      double total = RunFacts.median(runs.stream().mapToDouble(f -> f.trainingSecondsAt(f.result().epochs().size()))
          .toArray()).orElse(Double.NaN);
      rows.add(List.of(Numbers.shown(bs), steps == null ? "?" : String.valueOf(steps), Numbers.seconds(perEpoch),
          steps == null ? "?" : Numbers.shown(1000 * perEpoch / steps), Numbers.seconds(total)));
    });
    html.paragraph("Training time per epoch against batch size (medians over the learning rates). An epoch is"
        + " trainSize / bs minibatch steps; a larger batch means fewer, slower steps. On the training-time"
        + " figure each curve ends at its run's total training seconds (last column): epochs x seconds per"
        + " epoch.");
    html.table(List.of("bs", "steps per epoch", "training s per epoch", "ms per step", "training s in all"), rows);
  }

  /** Scenario 4: the best NF within a budget of training seconds, and within a number of epochs. */
  static void budgets(Html html, List<RunFacts> facts) {
    List<List<String>> rows = new ArrayList<>();
    RunFacts bestInTime = null;
    RunFacts bestInEpochs = null;
    for (RunFacts f : facts) {
      double inTime = f.errorWithin(BUDGET_SECONDS);
      rows.add(List.of(String.valueOf(f.result().params().values().getOrDefault("nf", "?")),
          f.trainSeconds().isPresent() ? Numbers.seconds(f.trainSeconds().getAsDouble()) : "?",
          Double.isFinite(inTime) ? Numbers.shown(inTime) : "-", f.result().epochs().isEmpty() ? f.result().status()
          .json() : Numbers.shown(f.bestError()), f.result().epochs().isEmpty() ? "-" : String.valueOf(f.bestEpoch())));
      if (Double.isFinite(inTime) && (bestInTime == null || inTime < bestInTime.errorWithin(BUDGET_SECONDS))) {
        bestInTime = f;
      }
      if (Double.isFinite(f.bestError()) && f.bestEpoch() <= BUDGET_EPOCHS
          && (bestInEpochs == null || f.bestError() < bestInEpochs.bestError())) {
        bestInEpochs = f;
      }
    }
    int trained = facts.stream().mapToInt(f -> f.result().epochs().size()).max().orElse(0);
    html.paragraph(String.format(Locale.ROOT, "Within %s training seconds the lowest validation error is %s"
        + " (marked on the training-time figure: the dashed line is the budget). %s",
        Numbers.shown(BUDGET_SECONDS), bestInTime == null ? "reached by no NF (every first epoch took longer)"
        : Numbers.shown(bestInTime.errorWithin(BUDGET_SECONDS)) + " with NF=" + bestInTime.result().params().get("nf"),
        trained < BUDGET_EPOCHS ? "This run trained " + trained + " epochs, not the " + BUDGET_EPOCHS + " the sheet's"
        + " question is about: the best after " + trained + " is " + (bestInEpochs == null ? "not known"
        : Numbers.shown(bestInEpochs.bestError()) + " with NF=" + bestInEpochs.result().params().get("nf")) + "."
        : "Within " + BUDGET_EPOCHS + " epochs it is " + (bestInEpochs == null ? "not known"
        : Numbers.shown(bestInEpochs.bestError()) + " with NF=" + bestInEpochs.result().params().get("nf")
        + " (epoch " + bestInEpochs.bestEpoch() + ")") + "."));
    html.table(List.of("nf", "training s per epoch", "best error within " + Numbers.shown(BUDGET_SECONDS) + " s",
        "best error", "at epoch"), rows);
  }

  /** The budget line and the best run within it, over scenario 4's error-against-training-time figure. */
  static Figure withBudget(Figure figure, List<RunFacts> facts) {
    double top = figure.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).max().orElse(1);
    List<Series> more = new ArrayList<>();
    double bottom = figure.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y()))
        .filter(Double::isFinite).min().orElse(0);
    // Colour 10 of the palette: scenario 4's nine NF values take the first nine.
    more.add(Series.line(Numbers.shown(BUDGET_SECONDS) + " training seconds", 9, 1, new double[] {BUDGET_SECONDS,
        BUDGET_SECONDS}, new double[] {bottom, top}));
    facts.stream().filter(f -> Double.isFinite(f.errorWithin(BUDGET_SECONDS)))
        .min(Comparator.comparingDouble(f -> f.errorWithin(BUDGET_SECONDS))).ifPresent(best -> {
          double x = best.bestWithin(BUDGET_SECONDS)[0];
          more.add(Series.highlight("best within the budget: nf=" + best.result().params().get("nf") + ", error "
              + Numbers.shown(best.errorWithin(BUDGET_SECONDS)), 9, new double[] {x},
              new double[] {best.errorWithin(BUDGET_SECONDS)}));
        });
    return figure.with(more);
  }

  /**
   * Scenario 4: the settings no other beats in both final validation error and training time (the Pareto
   * front of the two objectives), fastest first: the NF values worth their time.
   */
  static void front(Html html, List<Result> results) {
    io.hps.goals.Goals goals = new io.hps.goals.Goals(List.of(io.hps.protocol.Objective.DEFAULT,
        io.hps.protocol.Objective.parse("trainSeconds")), List.of());
    List<Result> front = goals.front(results).stream()
        .sorted(Comparator.comparingDouble((Result r) -> goals.values(r).orElseThrow()[1])).toList();
    if (front.isEmpty()) {
      return;
    }
    html.paragraph("The trade-off between validation error and training time: the " + front.size() + " setting"
        + (front.size() == 1 ? "" : "s") + " that no other setting beats in both (the Pareto front of final validation"
        + " error and training seconds, as hps status shows it for --objective valError --objective trainSeconds),"
        + " fastest first. Every other NF is slower for the same error or worse for the same time.");
    html.table(List.of("setting", "nf", "training seconds", "final validation error"), front.stream()
        .map(r -> List.of(r.id(), String.valueOf(r.params().values().getOrDefault("nf", "?")),
            Numbers.seconds(goals.values(r).orElseThrow()[1]), Numbers.shown(goals.values(r).orElseThrow()[0])))
        .toList());
  }

  /** Scenario 5: which of the searched parameters matter, by PED-ANOVA (as hps status reports it). */
  static void importance(Html html, List<Result> results, SearchSpace space) {
    java.util.Map<String, Double> shares = new io.hps.goals.Importance(space).of(results, io.hps.protocol.Objective.DEFAULT);
    if (shares.isEmpty()) {
      html.paragraph("Which parameters matter is measured from " + io.hps.goals.Importance.MIN_RESULTS + " finished"
          + " settings on; this run has fewer.");
      return;
    }
    html.paragraph("Which parameters matter: each searched parameter's share of importance for the final validation"
        + " error by PED-ANOVA (how differently the best 10% of the settings set it than all settings do; the shares"
        + " sum to 1; a parameter that matters only together with another is not credited by itself):");
    html.table(List.of("parameter", "share"), shares.entrySet().stream()
        .map(e -> List.of(e.getKey(), String.format(Locale.ROOT, "%.2f", e.getValue()))).toList());
  }

  /**
   * Scenario 4's error-against-training-time figure with the Pareto front of the settings' final validation
   * errors and training times drawn through the curves' ends (the table under "Facts" lists it).
   */
  static Figure withFront(Figure figure, List<Result> results) {
    io.hps.goals.Goals goals = new io.hps.goals.Goals(List.of(io.hps.protocol.Objective.DEFAULT,
        io.hps.protocol.Objective.parse("trainSeconds")), List.of());
    List<double[]> front = goals.front(results).stream().map(r -> goals.values(r).orElseThrow())
        .sorted(Comparator.comparingDouble(v -> v[1])).toList();
    if (front.size() < 2) {
      return figure; // one point is the best run, marked already
    }
    // Dotted, in the budget line's colour (the tenth): the nine NF values take the first nine.
    return figure.with(List.of(Series.line("Pareto front: final error against training time", 9, 2,
        front.stream().mapToDouble(v -> v[1]).toArray(), front.stream().mapToDouble(v -> v[0]).toArray())));
  }

  /** Scenario 5: where the best settings lie within each parameter's range. */
  static void ranges(Html html, List<RunFacts> facts, SearchSpace space) {
    List<RunFacts> scored = facts.stream().filter(f -> f.result().objective().isPresent())
        .sorted(Comparator.comparing(f -> f.result().objective().orElseThrow())).toList();
    int top = Math.max(1, scored.size() / 5);
    List<List<String>> rows = new ArrayList<>();
    for (Parameter p : space.parameters()) {
      if (!(p instanceof Range range)) {
        continue;
      }
      double[] best = scored.subList(0, Math.min(top, scored.size())).stream()
          .mapToDouble(f -> f.result().params().getDouble(p.name())).sorted().toArray();
      if (best.length == 0) {
        continue;
      }
      rows.add(List.of(p.name(), Numbers.shown(range.low()) + " .. " + Numbers.shown(range.high())
          + (range.log() ? " (log)" : ""), Numbers.shown(best[0]) + " .. " + Numbers.shown(best[best.length - 1])));
    }
    html.paragraph("Where the " + (top == 1 ? "best setting lies" : top + " best settings lie") + " in each"
        + " searched range (the best fifth of the " + scored.size() + " settings that ended with a finite validation"
        + " error" + (scored.size() < facts.size() ? "; " + (facts.size() - scored.size()) + " others did not" : "")
        + "):");
    html.table(List.of("parameter", "searched range", "range of the best " + top), rows);
  }

  private static void speedUp(Html html, List<Result> results, List<Result> oneWorker, String missing) {
    Parallelism parallel = Parallelism.of(results);
    html.heading(2, "Speed-up");
    if (oneWorker.isEmpty()) {
      html.paragraph("No one-worker run to compare with" + (missing == null ? "." : ": " + missing + "."));
      return;
    }
    if (results.stream().allMatch(r -> r.status() == Status.FAILED) || oneWorker.stream().allMatch(r -> r.status()
        == Status.FAILED)) {
      html.paragraph("No speed-up to measure: every setting of " + (results.stream().allMatch(r -> r.status()
          == Status.FAILED) ? "this run" : "the one-worker run") + " failed (the reasons are above), so the times"
          + " say nothing about training in parallel.");
      return;
    }
    Parallelism serial = Parallelism.of(oneWorker);
    html.paragraph(speedUpText(parallel, serial));
    html.paragraph(sameSettings(results, oneWorker));
  }

  /**
   * How far the two runs' final errors lie apart, setting by setting: the same parameters and seed, but other
   * threads per worker (the native library sums in another order) and, for PyTorch on a GPU, other kernels.
   */
  static String sameSettings(List<Result> parallel, List<Result> serial) {
    double largest = 0;
    String where = null;
    int compared = 0;
    for (Result a : parallel) {
      for (Result b : serial) {
        if (a.params().sameAs(b.params()) && a.objective().isPresent() && b.objective().isPresent()) {
          compared++;
          double d = Math.abs(a.objective().get() - b.objective().get());
          if (d >= largest) {
            largest = d;
            where = a.id() + " (" + Numbers.shown(a.objective().get()) + " and " + Numbers.shown(b.objective()
                .get()) + ")";
          }
        }
      }
    }
    if (compared == 0) {
      return "No setting ended with a finite error in both runs, so their results cannot be compared.";
    }
    return String.format(Locale.ROOT, "The two runs trained the same %d settings with the same seeds; their final"
        + " validation errors differ by at most %s, at %s. Same parameters and seed, but another number of"
        + " threads per worker: the native library adds its partial sums in another order, and over many steps"
        + " the curves drift apart a little (scenario 1's report lists this among the sources of randomness).%s",
        compared, Numbers.shown(largest), where, largest == 0 ? " Here they did not differ at all." : "");
  }

  /** The measured speed-up in words, and what it says: faster, no faster, or slower than one worker. */
  static String speedUpText(Parallelism parallel, Parallelism serial) {
    double speedUp = parallel.speedUpOver(serial);
    String reading = speedUp >= 1.2 ? String.format(Locale.ROOT, "the %d workers finished %.2f times as fast as one,"
        + " out of an ideal %d", parallel.workers(), speedUp, parallel.workers())
        : speedUp > 1 / 1.2 ? "the workers were about as fast as one: they shared what one worker had to itself"
        + " (on a CPU, its cores), and each waited for the other at the end of every synchronous batch"
        : "the workers were slower than one: they shared what one worker had to itself (on a CPU, its cores), two"
        + " processes started and warmed up at once, and each waited for the other at the end of every"
        + " synchronous batch";
    return String.format(Locale.ROOT, "The same %d settings (same seed) took %.1f s from the first claim to the last"
        + " result with the %d workers that published results, and %.1f s with one worker (one-worker/, its raw"
        + " tables in raw.zip): a speed-up of %.2f, so %s. Parallel efficiency, the speed-up over the number of"
        + " workers: %.2f. The workers were busy %.0f%% of that time (their summed trial seconds over %d x the"
        + " span); the rest they waited, for the other worker at the end of each synchronous batch and for the"
        + " master. With a GPU per worker the workers share no device, and the speed-up approaches the number of"
        + " workers, less those waits.", parallel.trials(), parallel.spanSeconds(), parallel.workers(),
        serial.spanSeconds(), speedUp, reading, speedUp / Math.max(1, parallel.workers()),
        100 * parallel.busyFraction(), parallel.workers());
  }

  static List<String> header(List<String> varied) {
    List<String> h = new ArrayList<>(List.of("id"));
    h.addAll(varied);
    h.addAll(List.of("status", "epochs", "steps/epoch", "train s/epoch", "val s/epoch", "final val error",
        "best val error", "best at epoch", "final train loss", "worker"));
    return h;
  }

  static List<String> row(RunFacts f, List<String> varied) {
    Result r = f.result();
    List<String> row = new ArrayList<>(List.of(r.id()));
    for (String name : varied) {
      Object v = r.params().values().get(name);
      row.add(v instanceof Double d ? Numbers.shown(d) : Objects.toString(v, ""));
    }
    row.add(r.status().json());
    row.add(String.valueOf(r.epochs().size()));
    row.add(f.steps() == null ? "" : String.valueOf(f.steps()));
    row.add(f.trainSeconds().isPresent() ? Numbers.seconds(f.trainSeconds().getAsDouble()) : "");
    row.add(f.valSeconds().isPresent() ? Numbers.seconds(f.valSeconds().getAsDouble()) : "");
    row.add(r.epochs().isEmpty() ? "" : Numbers.shown(f.finalError()));
    row.add(r.epochs().isEmpty() ? "" : Numbers.shown(f.bestError()));
    row.add(r.epochs().isEmpty() ? "" : String.valueOf(f.bestEpoch()));
    row.add(r.epochs().isEmpty() ? "" : Numbers.shown(r.epochs().get(r.epochs().size() - 1).trainLoss()));
    row.add(r.worker());
    return row;
  }
}
