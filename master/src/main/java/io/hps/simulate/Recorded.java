package io.hps.simulate;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import io.hps.protocol.StudyConfig;
import io.hps.space.Categorical;
import io.hps.space.Params;
import io.hps.space.Parameter;
import io.hps.space.Range;
import io.hps.space.SearchSpace;
import io.hps.study.StudyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded learning curves to replay: each with its hyperparameters, validation error and elapsed
 * seconds per epoch. From a study directory (its complete and diverged results; the space from
 * study.json) or a CSV file (see {@link CurveCsv}: Baker et al.'s format, or a BUTTER summary), the
 * space then being the box the rows span.
 * {@link #answer} is the recorded trainer: the curve of the nearest recorded setting.
 */
public record Recorded(SearchSpace space, List<Run> runs) implements Curves {
  /** One recorded trial. */
  public record Run(String id, Params params, double[] valErrors, double[] seconds) {
    public int epochs() {
      return valErrors.length;
    }
  }

  public Recorded {
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no recorded curves to replay");
    }
  }

  /** Reads a study directory or a Baker-format CSV file. */
  public static Recorded read(Path source) throws IOException {
    return read(source, new java.io.PrintWriter(java.io.Writer.nullWriter()));
  }

  /**
   * The same, saying on {@code notes} which result files of a study directory could not be read and were
   * left out.
   */
  public static Recorded read(Path source, java.io.PrintWriter notes) throws IOException {
    if (Files.isDirectory(source)) {
      StudyDirectory dir = StudyDirectory.existing(source);
      StudyConfig config = dir.readConfig().orElseThrow();
      SearchSpace space = SearchSpace.parse(config.space(), dir.config().toString());
      List<Run> runs = new ArrayList<>();
      // Every readable result counts (a recorded study may ship without its batch files).
      List<String> unreadable = new ArrayList<>();
      List<Result> results = dir.readResults((name, why) -> unreadable.add("results/" + name + ": " + why));
      if (!unreadable.isEmpty()) {
        notes.printf("note: %d result file(s) of %s could not be read and are left out, such as %s%n",
            unreadable.size(), source, unreadable.get(0));
        notes.flush();
      }
      // Only curves of the study's full budget: a halving study's cheaper rungs are partial curves.
      int full = results.stream().mapToInt(Result::plannedEpochs).max().orElse(0);
      for (Result r : results) {
        boolean whole = r.plannedEpochs() == full || r.plannedEpochs() == 0;
        if (whole && (r.status() == Status.COMPLETE || r.status() == Status.DIVERGED) && !r.epochs().isEmpty()) {
          runs.add(new Run(r.id(), r.params(), r.epochs().stream().mapToDouble(Epoch::valError).toArray(),
              r.epochs().stream().mapToDouble(Epoch::elapsedSeconds).toArray()));
        }
      }
      return new Recorded(space, runs);
    }
    return CurveCsv.read(source);
  }

  /** The most epochs any recorded curve has: the full budget. */
  @Override
  public int maxEpochs() {
    return runs.stream().mapToInt(Run::epochs).max().orElse(0);
  }

  /** Recorded curves are read only: seeds may be replayed in parallel. */
  @Override
  public boolean answersConcurrently() {
    return true;
  }

  /** The recorded trial nearest to {@code params}: an exact match when there is one. */
  @Override
  public Run answer(Params params) {
    Run best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Run run : runs) {
      double d = distance(params, run.params());
      if (d < bestDistance) {
        bestDistance = d;
        best = run;
      }
    }
    return best;
  }

  /** Distance in the unit cube of the space's searched parameters (log scale where the space has it). */
  double distance(Params a, Params b) {
    double sum = 0;
    for (Parameter p : space.parameters()) {
      Object x = a.values().get(p.name());
      Object y = b.values().get(p.name());
      if (p instanceof Range range && x instanceof Number nx && y instanceof Number ny) {
        double u = unit(range, nx.doubleValue()) - unit(range, ny.doubleValue());
        sum += u * u;
      } else if (p instanceof Categorical && x != null && !x.equals(y)) {
        sum += 1;
      }
    }
    return sum;
  }

  static double unit(Range r, double v) {
    return r.log() ? (Math.log(v) - Math.log(r.low())) / (Math.log(r.high()) - Math.log(r.low()))
        : (v - r.low()) / (r.high() - r.low());
  }

}
