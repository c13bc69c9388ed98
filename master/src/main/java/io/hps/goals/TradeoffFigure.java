package io.hps.goals;

import io.hps.plot.Figure;
import io.hps.plot.Series;
import io.hps.protocol.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The trade-off between a study's first two objectives as a figure: every result with both values as a point (the
 * second objective across, the first up, as the metrics read), those that break a constraint apart, and the Pareto
 * front of the feasible results ringed and, with two objectives, joined as a staircase.
 */
public final class TradeoffFigure {
  private TradeoffFigure() {}

  /**
   * The figure of {@code objectives}' first two (their constraints are not looked at), each result judged by
   * {@code feasibleResult} (results of several studies, each with constraints of its own); empty with fewer than
   * two objectives or no result that has both values.
   *
   * @param constrained whether any constraint applies (the legend then says "within the constraints")
   */
  public static Optional<Figure> of(Goals objectives, List<Result> results, java.util.function.Predicate<Result>
      feasibleResult, boolean constrained, String source) {
    Goals goals = new Goals(objectives.objectives(), List.of());
    if (goals.objectives().size() < 2) {
      return Optional.empty();
    }
    List<double[]> feasible = new ArrayList<>();
    List<double[]> infeasible = new ArrayList<>();
    List<Result> kept = new ArrayList<>();
    for (Result r : results) {
      Optional<double[]> v = goals.shown(r).filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1]));
      if (v.isPresent()) {
        if (feasibleResult.test(r)) {
          feasible.add(v.get());
          kept.add(r);
        } else {
          infeasible.add(v.get());
        }
      }
    }
    if (feasible.isEmpty() && infeasible.isEmpty()) {
      return Optional.empty();
    }
    List<double[]> front = goals.front(kept).stream().map(r -> goals.shown(r).orElseThrow())
        .sorted(Comparator.comparingDouble((double[] p) -> p[1]).thenComparingDouble(p -> p[0])).toList();
    String y = goals.objectives().get(0).toString();
    String x = goals.objectives().get(1).toString();
    List<Series> series = new ArrayList<>();
    series.add(new Series(plural(feasible.size(), "result") + (constrained ? " within the constraints" : ""), 0,
        xs(feasible), ys(feasible), false));
    if (!infeasible.isEmpty()) {
      series.add(new Series(plural(infeasible.size(), "result") + " breaking a constraint", 3, xs(infeasible),
          ys(infeasible), false));
    }
    if (!front.isEmpty()) {
      if (goals.objectives().size() == 2 && front.size() > 1) {
        double[][] stairs = staircase(front, maximised(goals, 0), maximised(goals, 1));
        series.add(Series.line("", 1, 0, stairs[0], stairs[1]));
      }
      series.add(Series.highlight("Pareto front (" + plural(front.size(), "setting") + ")"
          + (goals.objectives().size() > 2 ? " of all " + goals.objectives().size() + " objectives" : ""), 1,
          xs(front), ys(front)));
    }
    List<double[]> all = new ArrayList<>(feasible);
    all.addAll(infeasible);
    return Optional.of(new Figure("tradeoff", source + ": " + y + " against " + x, x, y, wide(all, 1), wide(all, 0),
        Figure.Kind.POINTS, series));
  }

  /** A log axis where every value is positive and they span more than two decades. */
  private static boolean wide(List<double[]> points, int i) {
    double low = points.stream().mapToDouble(p -> p[i]).min().orElse(0);
    double high = points.stream().mapToDouble(p -> p[i]).max().orElse(0);
    return low > 0 && high / low > 100;
  }

  private static double[] xs(List<double[]> points) {
    return points.stream().mapToDouble(p -> p[1]).toArray();
  }

  private static double[] ys(List<double[]> points) {
    return points.stream().mapToDouble(p -> p[0]).toArray();
  }

  /**
   * The front's staircase through its points (x ascending): between two neighbours, the corner that takes the worse
   * value of each objective, so the line bounds what the front dominates.
   */
  private static double[][] staircase(List<double[]> front, boolean maxY, boolean maxX) {
    double[] xs = new double[front.size() * 2 - 1];
    double[] ys = new double[xs.length];
    for (int i = 0; i < front.size(); i++) {
      double[] p = front.get(i);
      xs[2 * i] = p[1];
      ys[2 * i] = p[0];
      if (i + 1 < front.size()) {
        double[] q = front.get(i + 1);
        xs[2 * i + 1] = maxX ? Math.min(p[1], q[1]) : Math.max(p[1], q[1]);
        ys[2 * i + 1] = maxY ? Math.min(p[0], q[0]) : Math.max(p[0], q[0]);
      }
    }
    return new double[][] {xs, ys};
  }

  private static boolean maximised(Goals goals, int i) {
    return goals.objectives().get(i).direction() == io.hps.protocol.Direction.MAXIMIZE;
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
