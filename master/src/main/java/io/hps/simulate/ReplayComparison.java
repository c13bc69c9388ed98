package io.hps.simulate;

import io.hps.plot.Figure;
import io.hps.plot.Series;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * One method (a strategy and a stopping rule) replayed over many seeds: the mean epochs it trained, the
 * mean best final validation error it found, and the figure of best error against epochs spent.
 */
public record ReplayComparison(String method, String strategy, String stop, int seeds, double meanEpochs,
    double meanBest, double meanSeconds, double meanWallSeconds, List<Replay> replays) {
  /** A strategy and a stopping rule ({@code null}: none). */
  public record Method(Strategy strategy, Stopping stop) {}

  /** The five methods the README compares. */
  public static final List<Method> METHODS = List.of(new Method(Strategy.RANDOM, null),
      new Method(Strategy.RANDOM, Stopping.MEDIAN), new Method(Strategy.RANDOM, Stopping.PREDICTED),
      new Method(Strategy.SUCCESSIVE_HALVING, null), new Method(Strategy.HYPERBAND, null));

  /** Replays a method with seeds 1..{@code seeds}. */
  public static ReplayComparison of(Curves recorded, Strategy strategy, Stopping stop, int seeds,
      Replay.Setup setup) {
    return of(recorded, strategy, stop, 1, seeds, setup);
  }

  /** Replays a method with seeds {@code firstSeed}..{@code firstSeed + seeds - 1}. */
  public static ReplayComparison of(Curves recorded, Strategy strategy, Stopping stop, long firstSeed, int seeds,
      Replay.Setup setup) {
    // Each seed's replay is a pure function of its inputs: on recorded curves they run on all cores, in order.
    LongStream range = LongStream.range(firstSeed, firstSeed + seeds);
    List<Replay> replays = (recorded.answersConcurrently() ? range.parallel() : range)
        .mapToObj(s -> Replay.run(recorded, strategy, stop, s, setup)).toList();
    return new ReplayComparison(replays.get(0).method(), strategy.json(), stop == null ? null : stop.json(), seeds,
        replays.stream().mapToLong(Replay::epochs).average().orElse(Double.NaN),
        replays.stream().mapToDouble(Replay::best).filter(Double::isFinite).average().orElse(Double.NaN),
        replays.stream().mapToDouble(Replay::seconds).average().orElse(Double.NaN),
        replays.stream().mapToDouble(Replay::wallSeconds).average().orElse(Double.NaN), replays);
  }

  /** The mean over seeds of the attempts lost with their worker (see {@link Replay.Setup#workerFailures}). */
  public double meanLost() {
    return replays.stream().mapToInt(Replay::lost).average().orElse(0);
  }

  /**
   * The mean over seeds of the incumbent's final validation error once {@code epochs} epochs were trained
   * (see {@link Replay#trace}); NaN when a seed had no result by then.
   */
  public double meanBestAfter(double epochs) {
    double sum = 0;
    int n = 0;
    for (Replay r : replays) {
      double v = r.bestAfter(epochs);
      if (Double.isNaN(v)) {
        return Double.NaN;
      }
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The median over seeds of the best final error found after each budget on a log grid. */
  Series curve(int group, double maxEpochs) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    // Up to the epochs this method spent (the most over seeds), not beyond: a line ends where its method did.
    double own = Math.min(maxEpochs, replays.stream().mapToLong(Replay::epochs).max().orElse(1));
    for (double budget = 1; budget <= own * 1.0001; budget *= 1.05) {
      double[] values = new double[replays.size()];
      boolean all = true;
      for (int i = 0; i < replays.size(); i++) {
        values[i] = replays.get(i).bestAfter(budget);
        all &= Double.isFinite(values[i]);
      }
      if (all) {
        java.util.Arrays.sort(values);
        xs.add(budget);
        ys.add(Reshuffle.quantile(values, 0.5));
      }
    }
    return new Series(String.format(Locale.ROOT, "%s (%.0f epochs)", method, meanEpochs), group,
        xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray(),
        false);
  }

  /** Best final validation error against epochs spent, one curve per method (median over seeds). */
  public static Figure figure(List<ReplayComparison> methods, String source) {
    double max = methods.stream().mapToDouble(m -> m.replays().stream().mapToLong(Replay::epochs).max().orElse(1))
        .max().orElse(1);
    List<Series> series = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      series.add(methods.get(i).curve(i, max));
    }
    return new Figure("replay-best-vs-epochs", "Replay of " + source + ": incumbent against epochs (median of "
        + methods.get(0).seeds() + (methods.get(0).seeds() == 1 ? " seed)" : " seeds)"), "epochs trained", "incumbent's final validation error", true, false,
        series);
  }

  /**
   * The mean over seeds of the front's hypervolume (scaled by {@code scale}) once each budget on the same log grid
   * as {@link #curve} was spent, from the first budget at which every seed has a result (feasible or not: a seed
   * with none that keeps the constraints counts 0).
   */
  Series hypervolumeCurve(int group, double maxEpochs, ObjectiveScale scale) {
    List<Double> grid = new ArrayList<>();
    double own = Math.min(maxEpochs, replays.stream().mapToLong(Replay::epochs).max().orElse(1));
    for (double budget = 1; budget <= own * 1.0001; budget *= 1.05) {
      grid.add(budget);
    }
    if (grid.isEmpty() || grid.get(grid.size() - 1) < own) {
      grid.add(own); // the line ends where the method did, at its last result
    }
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    int[] seen = new int[replays.size()];
    double[] volume = new double[replays.size()];
    for (double budget : grid) {
      double sum = 0;
      boolean all = true;
      for (int k = 0; k < replays.size(); k++) {
        List<double[]> values = replays.get(k).valuesAfter(budget);
        all &= replays.get(k).anyAfter(budget);
        if (values.size() != seen[k]) { // the front changes only when results arrive
          seen[k] = values.size();
          volume[k] = scale.hypervolume(values);
        }
        sum += volume[k];
      }
      if (all) {
        xs.add(budget);
        ys.add(sum / replays.size());
      }
    }
    return new Series(String.format(Locale.ROOT, "%s (%.4f at the end)", method, scale.meanHypervolume(this)), group,
        xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray(),
        false);
  }

  /**
   * The mean hypervolume after {@code epochs} epochs were trained (see {@link #hypervolumeCurve}); NaN when a seed
   * had no result by then (as {@link #meanBestAfter}), 0 for a seed whose results all break a constraint.
   */
  public double meanHypervolumeAfter(double epochs, ObjectiveScale scale) {
    if (replays.stream().anyMatch(r -> !r.anyAfter(epochs))) {
      return Double.NaN;
    }
    return replays.stream().mapToDouble(r -> scale.hypervolume(r.valuesAfter(epochs))).average().orElse(Double.NaN);
  }

  /** The front's hypervolume against epochs spent, one curve per method (mean over seeds). */
  public static Figure hypervolumeFigure(List<ReplayComparison> methods, String source, ObjectiveScale scale,
      List<String> objectives) {
    double max = methods.stream().mapToDouble(m -> m.replays().stream().mapToLong(Replay::epochs).max().orElse(1))
        .max().orElse(1);
    List<Series> series = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      series.add(methods.get(i).hypervolumeCurve(i, max, scale));
    }
    int seeds = methods.get(0).seeds();
    return new Figure("replay-hypervolume-vs-epochs", "Replay of " + source + ": hypervolume of "
        + String.join(", ", objectives) + " (mean of " + seeds + (seeds == 1 ? " seed)" : " seeds)"),
        "epochs trained", "hypervolume (objectives scaled to [0, 1] over all results, reference 1.1)", true, false,
        series);
  }
}
