package io.hps.simulate;

import io.hps.plot.Figure;
import io.hps.plot.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Simulated random-search runs: the finished settings' final validation errors taken in a random order,
 * {@code runs} times (seeded), each giving the best error found after 1, 2, ..., n evaluations. The
 * median and quartiles across runs say what a random search of that many evaluations can expect.
 */
public record Reshuffle(double[][] curves, double[] median, double[] lowerQuartile, double[] upperQuartile) {

  public static Reshuffle of(double[] errors, int runs, long seed) {
    if (errors.length == 0 || runs < 1) {
      throw new IllegalArgumentException("need at least one finished result and one run");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[][] curves = new double[runs][];
    for (int r = 0; r < runs; r++) {
      curves[r] = bestSoFar(errors, io.hps.random.Shuffle.permutation(errors.length, random));
    }
    int n = errors.length;
    double[] median = new double[n];
    double[] q1 = new double[n];
    double[] q3 = new double[n];
    double[] column = new double[runs];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < runs; r++) {
        column[r] = curves[r][i];
      }
      Arrays.sort(column);
      median[i] = quantile(column, 0.5);
      q1[i] = quantile(column, 0.25);
      q3[i] = quantile(column, 0.75);
    }
    return new Reshuffle(curves, median, q1, q3);
  }

  /** The lowest error among the first i + 1 evaluations, for each i, evaluating in {@code order}. */
  static double[] bestSoFar(double[] errors, int[] order) {
    double[] best = new double[order.length];
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < order.length; i++) {
      min = Math.min(min, errors[order[i]]);
      best[i] = min;
    }
    return best;
  }

  /** The curves as CSV: evaluations, median, q25, q75, then the first {@code show} runs. */
  public String csv(int show) {
    int shown = Math.min(show, curves.length);
    StringBuilder csv = new StringBuilder("evaluations,median,q25,q75");
    IntStream.range(0, shown).forEach(r -> csv.append(",run").append(r + 1));
    csv.append('\n');
    for (int i = 0; i < median.length; i++) {
      csv.append(i + 1).append(',').append(fmt(median[i])).append(',').append(fmt(lowerQuartile[i])).append(',')
          .append(fmt(upperQuartile[i]));
      for (int r = 0; r < shown; r++) {
        csv.append(',').append(fmt(curves[r][i]));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  /**
   * The exercise's figure: {@code show} simulated runs in grey, the median (solid) and the 25th (dashed)
   * and 75th (dotted) percentiles over all runs, each a staircase.
   */
  public Figure figure(int show) {
    int n = median.length;
    double[] x = IntStream.rangeClosed(1, n).asDoubleStream().toArray();
    List<Series> series = new ArrayList<>();
    for (int r = 0; r < Math.min(show, curves.length); r++) {
      String label = r == 0 ? Math.min(show, curves.length) + " simulated runs" : "";
      series.add(new Series(label, 7, x, curves[r], false));
    }
    series.add(new Series("median of " + curves.length + " runs", 0, x, median, false));
    series.add(new Series("25th percentile of " + curves.length + " runs", 3, 1, x, lowerQuartile, false));
    series.add(new Series("75th percentile of " + curves.length + " runs", 3, 2, x, upperQuartile, false));
    // Best so far is a staircase: it holds until an evaluation beats it.
    return new Figure("simulated-random-search", "Simulated random search (" + n + " results reshuffled "
        + curves.length + " times)", "number of evaluations", "best validation error so far", true, true,
        Figure.Kind.STEPS, series);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /** Quantile of sorted values with linear interpolation between order statistics (R's type 7). */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
