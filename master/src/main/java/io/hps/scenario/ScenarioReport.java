package io.hps.scenario;

import io.hps.plot.Charts;
import io.hps.plot.Coordinates;
import io.hps.plot.Figure;
import io.hps.plot.LearningCurves;
import io.hps.plot.Timeline;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.scenario.Scenario.Analysis;
import io.hps.simulate.Reshuffle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything a scenario hands in, written into its study directory: {@code raw/} and {@code raw.zip},
 * {@code plots/} (PNG and SVG of each figure the exercise asks for) and a self-contained
 * {@code report.html} with the figures and a table of every setting's final metrics.
 */
public final class ScenarioReport {
  /** Simulated random searches drawn from the results (scenario 5), and how many are shown. */
  static final int SIMULATED_RUNS = 1000;
  static final int SHOWN_RUNS = 20;

  private ScenarioReport() {}

  /**
   * Writes the raw tables, figures and report of {@code results}; {@code oneWorker} holds the results of
   * the one-worker run for the speed-up (empty unless the scenario measures one). Returns the report.
   */
  public static Path write(Scenario scenario, String description, String command, Path root, List<Result> results,
      List<Result> oneWorker) throws IOException {
    RawTables.write(results, root);
    Path plots = root.resolve("plots");
    String prefix = "Scenario " + scenario.number() + ": ";
    List<Figure> figures = new ArrayList<>();
    List<Figure> curves = LearningCurves.of(results);
    for (String name : scenario.curves()) {
      curves.stream().filter(f -> f.name().equals(name)).findFirst().ifPresent(figures::add);
    }
    Reshuffle simulated = null;
    double[] errors = results.stream().flatMap(r -> r.objective().stream()).mapToDouble(Double::doubleValue).toArray();
    if (scenario.has(Analysis.SIMULATED_SEARCH) && errors.length > 0) {
      simulated = Reshuffle.of(errors, SIMULATED_RUNS, 1);
      figures.add(simulated.figure(SHOWN_RUNS));
      Files.createDirectories(root.resolve("simulate"));
      Files.writeString(root.resolve("simulate").resolve("best-so-far.csv"), simulated.csv(SHOWN_RUNS));
    }
    if (scenario.has(Analysis.COORDINATES)) {
      figures.addAll(Coordinates.of(results));
    }
    if (scenario.has(Analysis.TIMELINE)) {
      figures.add(Timeline.of(results));
    }
    Html html = new Html(prefix + scenario.title());
    html.paragraph(description);
    html.paragraph("Written by:");
    html.code(command);
    html.paragraph(summary(results));
    if (scenario.has(Analysis.SPEED_UP)) {
      speedUp(html, results, oneWorker);
    }
    for (Figure f : figures) {
      Figure titled = f.titled(prefix + f.title());
      Charts.write(titled, plots);
      html.figure(plots.resolve(f.name() + ".png"), titled.title() + " (plots/" + f.name() + ".png, .svg)");
    }
    if (simulated != null) {
      int n = errors.length;
      html.paragraph(String.format(Locale.ROOT, "Simulated random search over the %d finished results, %d runs:"
          + " median best validation error %.4f after 1 evaluation, %.4f after %d, %.4f after %d"
          + " (simulate/best-so-far.csv).", n, SIMULATED_RUNS, simulated.median()[0], simulated.median()[n / 4],
          n / 4 + 1, simulated.median()[n - 1], n));
    }
    List<String> varied = LearningCurves.varied(results);
    if (scenario.has(Analysis.BEST)) {
      html.heading(2, "Best settings");
      List<Result> best = results.stream().filter(r -> r.objective().isPresent())
          .sorted(Comparator.comparing(r -> r.objective().orElseThrow())).limit(10).toList();
      html.table(header(varied), best.stream().map(r -> row(r, varied)).toList());
    }
    html.heading(2, "Every setting");
    html.paragraph("Raw curves: raw/<id>.txt (epoch, training loss, validation loss, validation error, elapsed"
        + " seconds), index raw/settings.txt, all zipped in raw.zip.");
    html.table(header(varied), results.stream().sorted(Comparator.comparing(Result::id)).map(r -> row(r, varied))
        .toList());
    Path report = root.resolve("report.html");
    html.write(report);
    return report;
  }

  /** Counts by status and the time the trials took. */
  static String summary(List<Result> results) {
    Map<Status, Long> counts = results.stream().collect(Collectors.groupingBy(Result::status,
        () -> new java.util.EnumMap<>(Status.class), Collectors.counting()));
    Parallelism p = Parallelism.of(results);
    String byStatus = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().json())
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "%d results (%s). %d worker(s); trials took %.0f s in all, %.0f s from the first"
        + " claim to the last result.", results.size(), byStatus, p.workers(), p.busySeconds(), p.spanSeconds());
  }

  private static void speedUp(Html html, List<Result> results, List<Result> oneWorker) {
    Parallelism parallel = Parallelism.of(results);
    html.heading(2, "Speed-up");
    if (oneWorker.isEmpty()) {
      html.paragraph("No one-worker run to compare with.");
      return;
    }
    Parallelism serial = Parallelism.of(oneWorker);
    html.paragraph(String.format(Locale.ROOT, "The same %d settings (same seed) took %.1f s with %d worker(s) and"
        + " %.1f s with one worker (one-worker/): a speed-up of %.2f. The %d workers were busy %.0f%% of the"
        + " time (parallel efficiency %.2f). On one CPU the workers share its cores, so expect little speed-up;"
        + " with one GPU per worker it approaches the number of workers.", parallel.trials(), parallel.spanSeconds(),
        parallel.workers(), serial.spanSeconds(), parallel.speedUpOver(serial), parallel.workers(),
        100 * parallel.efficiency(), parallel.efficiency()));
  }

  static List<String> header(List<String> varied) {
    List<String> h = new ArrayList<>(List.of("id"));
    h.addAll(varied);
    h.addAll(List.of("status", "epochs", "train loss", "val loss", "val error", "seconds", "worker"));
    return h;
  }

  static List<String> row(Result r, List<String> varied) {
    List<String> row = new ArrayList<>(List.of(r.id()));
    for (String name : varied) {
      Object v = r.params().values().get(name);
      row.add(v instanceof Double d ? LearningCurves.number(d) : Objects.toString(v, ""));
    }
    Epoch last = r.epochs().isEmpty() ? null : r.epochs().get(r.epochs().size() - 1);
    row.add(r.status().json());
    row.add(String.valueOf(r.epochs().size()));
    row.add(last == null ? "" : RawTables.number(last.trainLoss()));
    row.add(last == null ? "" : RawTables.number(last.valLoss()));
    row.add(last == null ? "" : RawTables.number(last.valError()));
    row.add(last == null ? "" : String.format(Locale.ROOT, "%.1f", last.elapsedSeconds()));
    row.add(r.worker());
    return row;
  }
}
