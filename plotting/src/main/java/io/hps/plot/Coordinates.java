package io.hps.plot;

import io.hps.protocol.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * Coordinate-wise analysis of a search: one scatter plot per numeric hyperparameter that varies, final
 * validation error against its value, so a reader sees which values tend to do well. The x axis has the
 * scale the search space declares for the parameter (log for {@code loguniform} and {@code "log": true},
 * linear otherwise), never one guessed from the data; the y axis is linear. Results without a finite
 * final error (diverged, failed) are left out and counted in the title.
 */
public final class Coordinates {
  private Coordinates() {}

  /** The plots of {@code results} of a study over {@code space}. */
  public static List<Figure> of(List<Result> results, io.hps.space.SearchSpace space) {
    List<Result> scored = results.stream().filter(r -> r.objective().isPresent()).toList();
    int left = results.size() - scored.size();
    List<Figure> figures = new ArrayList<>();
    for (String name : LearningCurves.varied(scored)) {
      if (name.equals("seed") || !scored.stream().allMatch(r -> r.params().values().get(name) instanceof Number)) {
        continue;
      }
      double[] x = scored.stream().mapToDouble(r -> ((Number) r.params().values().get(name)).doubleValue()).toArray();
      double[] y = scored.stream().mapToDouble(r -> r.objective().orElseThrow()).toArray();
      String scale = logScale(space, name) ? "log scale, as declared" : "linear scale, as declared";
      String title = "Final validation error against " + axisName(name) + " (" + scale + "; " + scored.size()
          + " settings" + (left > 0 ? ", " + left + " without a finite error left out" : "") + ")";
      // One series of points, one colour: a legend would only say "settings".
      figures.add(new Figure("val-error-vs-" + name, title, axisName(name), "final validation error",
          logScale(space, name), false, Figure.Kind.POINTS, List.of(new Series("", 0, x, y, false))));
    }
    return figures;
  }

  /** The exercise's names for its hyperparameters ("learning rate (LR)"); other names as they are. */
  static String axisName(String name) {
    return switch (name) {
      case "lr" -> "learning rate (LR)";
      case "m" -> "momentum (M)";
      case "bs" -> "batch size (BS)";
      case "nf" -> "number of filters (NF)";
      default -> name;
    };
  }

  /** Whether the space declares {@code name} on a log scale. */
  static boolean logScale(io.hps.space.SearchSpace space, String name) {
    return space.parameters().stream().anyMatch(p -> p.name().equals(name) && p instanceof io.hps.space.Range r
        && r.log());
  }
}
