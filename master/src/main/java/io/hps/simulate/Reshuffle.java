package io.hps.simulate;

import java.util.Arrays;
import java.util.SplittableRandom;

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
      curves[r] = bestSoFar(errors, permutation(errors.length, random));
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

  /** Quantile of sorted values with linear interpolation between order statistics (R's type 7). */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
