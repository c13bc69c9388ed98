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
        "with PyTorch: curves are labelled and coloured by the framework recorded in each result)."})
final class PlotCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR",
      description = "The study directory; repeat to draw several studies in one set of figures.")
  List<Path> studies;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write the figures (default: the study's plots/).")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    List<Result> results = new java.util.ArrayList<>();
    for (Path study : studies) {
      StudyDirectory dir = StudyDirectory.existing(study);
      results.addAll(dir.readResults((name, why) -> log.printf("skipping %s: %s%n", name, why)));
    }
    Path target = out != null ? out : StudyDirectory.existing(studies.get(0)).root().resolve("plots");
    for (Figure figure : LearningCurves.of(results)) {
      for (Path file : Charts.write(figure, target)) {
        log.printf("wrote %s%n", file);
      }
    }
    log.printf("%d results plotted%n", results.size());
    log.flush();
    return 0;
  }
}
