package io.hps.cli;

import io.hps.plot.Charts;
import io.hps.protocol.Result;
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
@Command(name = "simulate", header = "Reshuffled random searches over a study's finished results.",
    mixinStandardHelpOptions = true,
    description = {"Simulate random searches from a study's finished results: take them in a random order,",
        "--runs times, and track the best validation error found after 1, 2, ... evaluations. Writes",
        "best-so-far.csv (median, quartiles, the shown runs) and a figure, in DIR/simulate by default.",
        "To replay strategies and stopping rules over recorded curves, see hps replay."})
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--study", paramLabel = "DIR", description = "The study directory whose results to reshuffle.")
  Path study;

  @Option(names = "--replay", paramLabel = "SOURCE", hidden = true, description = "Moved to hps replay.")
  Path replay;

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
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "replays have their own command now: hps"
          + " replay " + replay + " (see hps replay --help)");
    }
    if (study == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --study DIR");
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
}
