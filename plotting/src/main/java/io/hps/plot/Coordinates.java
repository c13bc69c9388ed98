package io.hps.plot;

import io.hps.protocol.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * Coordinate-wise analysis of a search: one scatter plot per numeric hyperparameter that varies, final
 * validation error against its value, so a reader sees which values tend to do well. Log axes where the
 * values span a decade or more (learning rate, batch size). Results without a finite final error
 * (diverged, failed) are left out and counted in the title.
 */
public final class Coordinates {
  private Coordinates() {}

  public static List<Figure> of(List<Result> results) {
    List<Result> scored = results.stream().filter(r -> r.objective().isPresent()).toList();
    int left = results.size() - scored.size();
    List<Figure> figures = new ArrayList<>();
    for (String name : LearningCurves.varied(scored)) {
      if (name.equals("seed") || !scored.stream().allMatch(r -> r.params().values().get(name) instanceof Number)) {
        continue;
      }
      double[] x = scored.stream().mapToDouble(r -> ((Number) r.params().values().get(name)).doubleValue()).toArray();
      double[] y = scored.stream().mapToDouble(r -> r.objective().orElseThrow()).toArray();
      String title = "Final validation error against " + name + " (" + scored.size() + " settings"
          + (left > 0 ? ", " + left + " without a finite error left out" : "") + ")";
      figures.add(new Figure("val-error-vs-" + name, title, name, "final validation error", spansDecade(x),
          spansDecade(y), Figure.Kind.POINTS, List.of(new Series("settings", 0, x, y, false))));
    }
    return figures;
  }

  static boolean spansDecade(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double v : values) {
      if (!(v > 0)) {
        return false;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return values.length > 0 && max / min >= 10;
  }
}
