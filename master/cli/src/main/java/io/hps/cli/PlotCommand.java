package io.hps.cli;

import io.hps.plot.Charts;
import io.hps.plot.Figure;
import io.hps.plot.LearningCurves;
import io.hps.protocol.Result;
import io.hps.study.StudyDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps plot}: learning-curve figures of any study, as PNG and SVG. */
@Command(name = "plot", header = "Draw a study's learning curves (PNG and SVG).",
    mixinStandardHelpOptions = true,
    description = {"Draw the learning curves of a study's results: training loss, validation loss and",
        "validation error against epochs, and against training time. PNG and SVG, in DIR/plots by default.",
        "Several --study options draw their results together (for example one study trained with DL4J and one",
        "with PyTorch: curves are labelled and coloured by the framework recorded in each result).",
        "A study of several objectives (or --objective twice) also gets tradeoff.png: its first two objectives",
        "against each other, the results that break a constraint apart, the Pareto front ringed and joined."})
final class PlotCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR",
      description = "The study directory; repeat to draw several studies in one set of figures.")
  List<Path> studies;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write the figures (default: the study's plots/).")
  Path out;

  @Option(names = "--objective", paramLabel = "METRIC[:max]", description = {"The trade-off figure's objectives,"
      + " repeat: the first up, the second across", "(default: the first study's own; valError, trainSeconds,"
      + " numFreeParameters, ...,", "as hps run takes them)."})
  List<String> objectives = new java.util.ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    List<Result> results = new java.util.ArrayList<>();
    // each result is judged by its own study's constraints (several studies may have different ones)
    java.util.Map<Result, io.hps.goals.Goals> own = new java.util.IdentityHashMap<>();
    boolean constrained = false;
    io.hps.goals.Goals firstStudys = null;
    for (Path study : studies) {
      StudyDirectory dir = StudyDirectory.existing(study);
      io.hps.goals.Goals goals = dir.readConfig().map(io.hps.goals.Goals::of).orElse(io.hps.goals.Goals.single());
      firstStudys = firstStudys == null ? goals : firstStudys;
      constrained |= !goals.constraints().isEmpty();
      for (Result r : dir.readResults((name, why) -> log.printf("skipping %s: %s%n", name, why))) {
        results.add(r);
        own.put(r, goals);
      }
    }
    StudyDirectory first = StudyDirectory.existing(studies.get(0));
    io.hps.goals.Goals goals = goals(firstStudys);
    Path target = out != null ? out : first.root().resolve("plots");
    List<Figure> figures = new java.util.ArrayList<>(LearningCurves.of(results));
    if (goals.objectives().size() > 1) {
      String names = studies.stream().map(p -> p.toAbsolutePath().normalize().getFileName().toString())
          .collect(java.util.stream.Collectors.joining(", "));
      java.util.Optional<Figure> tradeoff = io.hps.goals.TradeoffFigure.of(goals, results, r -> own.get(r)
          .feasible(r), constrained, names);
      String a = goals.objectives().get(0).metric();
      String b = goals.objectives().get(1).metric();
      long both = results.stream().filter(r -> goals.shown(r).filter(v -> Double.isFinite(v[0])
          && Double.isFinite(v[1])).isPresent()).count();
      if (tradeoff.isPresent()) {
        figures.add(tradeoff.get());
        if (both < results.size()) {
          log.printf("trade-off figure: %d of %d results have finite values of both %s and %s; the others (failed,"
              + " diverged, or lacking one) are not drawn%n", both, results.size(), a, b);
        }
      } else {
        log.printf("no trade-off figure: no result has finite values of both %s and %s%n", a, b);
        for (String ext : List.of(".png", ".svg")) { // an older one there would look current
          java.nio.file.Files.deleteIfExists(target.resolve("tradeoff" + ext));
        }
      }
    }
    for (Figure figure : figures) {
      for (Path file : Charts.write(figure, target)) {
        log.printf("wrote %s%n", file);
      }
    }
    log.printf("%d results plotted%n", results.size());
    log.flush();
    return 0;
  }

  /** The objectives given, or the first study's own (constraints are each study's own: see call). */
  private io.hps.goals.Goals goals(io.hps.goals.Goals firstStudys) {
    if (objectives.isEmpty()) {
      return firstStudys;
    }
    try {
      List<io.hps.protocol.Objective> parsed = objectives.stream().map(io.hps.protocol.Objective::parse).toList();
      if (parsed.stream().map(io.hps.protocol.Objective::metric).distinct().count() < parsed.size()) {
        throw new IllegalArgumentException("an objective is given twice: " + String.join(", ", objectives));
      }
      if (parsed.size() != 2) {
        throw new IllegalArgumentException("the trade-off figure draws two objectives, one against the other: give"
            + " --objective twice (" + parsed.size() + " given)");
      }
      return new io.hps.goals.Goals(parsed, List.of());
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--objective: " + e.getMessage());
    }
  }
}
