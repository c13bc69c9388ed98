package io.hps.goals;

import io.hps.protocol.Objective;
import io.hps.protocol.Result;
import io.hps.space.Parameter;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Which parameters matter for one objective, by PED-ANOVA (Watanabe et al., IJCAI 2023; Optuna 5 and
 * optuna-dashboard's default): for each searched parameter, the Pearson divergence between where the best
 * tenth of the results (at least {@link #MIN_TOP}; from {@link #MIN_RESULTS} results on) put it and where all results put it, each a one-dimensional Parzen estimate (Scott's
 * bandwidth) on the parameter's unit interval. A parameter whose best values spread like all values gets 0;
 * one the best results crowd into a corner gets much. Scores are shares that sum to 1. Chosen over fANOVA
 * because it needs no random forest, is closed form and deterministic, and is cheap enough for a dashboard
 * that refreshes twice a second; like every marginal measure it does not see interactions alone.
 */
public final class Importance {
  /** The share of results counted best. */
  public static final double TOP = 0.1;
  /** Fewer results than this say nothing: importance is not computed. */
  public static final int MIN_RESULTS = 20;
  /** The fewest results counted best: with fewer, one lucky result decides. */
  public static final int MIN_TOP = 5;
  private static final int GRID = 100;
  /** Up to this many values a density sums its kernel at each value; past it, at bins (see binnedSums). */
  static final int EXACT_UP_TO = 10_000;
  private static final int BINS = GRID * 100;

  private final SearchSpace space;

  public Importance(SearchSpace space) {
    this.space = space;
  }

  /**
   * Each searched parameter's share of importance for {@code objective} over the {@code results} that have
   * it, highest first; empty when fewer than {@link #MIN_RESULTS} do.
   */
  public Map<String, Double> of(List<Result> results, Objective objective) {
    List<double[]> points = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Result r : results) {
      OptionalDouble v = objective.minimised(r);
      if (v.isPresent()) {
        points.add(space.encode(r.params()));
        values.add(v.getAsDouble());
      }
    }
    if (points.size() < MIN_RESULTS) {
      return Map.of();
    }
    int[] order = bestFirst(values);
    int top = Math.max(MIN_TOP, (int) Math.ceil(TOP * points.size()));
    List<String> names = new ArrayList<>();
    for (Parameter p : space.parameters()) {
      if (p.searched()) {
        names.add(p.name());
      }
    }
    double[] raw = new double[names.size()];
    double sum = 0;
    for (int d = 0; d < raw.length; d++) {
      double[] all = new double[points.size()];
      double[] best = new double[top];
      for (int i = 0; i < all.length; i++) {
        all[i] = points.get(i)[d];
      }
      for (int i = 0; i < top; i++) {
        best[i] = points.get(order[i])[d];
      }
      raw[d] = divergence(density(best), density(all));
      sum += raw[d];
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    List<Integer> dims = new ArrayList<>();
    for (int d = 0; d < raw.length; d++) {
      dims.add(d);
    }
    dims.sort(Comparator.comparingDouble((Integer d) -> -raw[d]).thenComparing(names::get));
    for (int d : dims) {
      shares.put(names.get(d), sum > 0 ? raw[d] / sum : 0.0);
    }
    return shares;
  }

  /**
   * The indices of {@code values}, lowest value first, ties in index order (what a stable sort by value
   * gives), without boxing: a study of 100,000 results sorts them on every status.
   */
  static int[] bestFirst(List<Double> values) {
    int n = values.size();
    long[] keys = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = values.get(i);
    }
    // rank the distinct values, then sort (rank, index) pairs packed in one long
    double[] sorted = v.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 0; i < n; i++) {
      long rank = java.util.Arrays.binarySearch(sorted, v[i]);
      keys[i] = rank << 32 | i;
    }
    java.util.Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /** Pearson divergence of {@code p} from {@code q}, both distributions on the same grid. */
  static double divergence(double[] p, double[] q) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      if (q[i] > 0) {
        double ratio = p[i] / q[i] - 1;
        sum += q[i] * ratio * ratio;
      }
    }
    return sum;
  }

  /** A Parzen estimate of {@code xs} in [0, 1] as probabilities of {@link #GRID} equal cells. */
  static double[] density(double[] xs) {
    double mean = 0;
    for (double x : xs) {
      mean += x;
    }
    mean /= xs.length;
    double var = 0;
    for (double x : xs) {
      var += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(var / Math.max(1, xs.length - 1));
    double h = Math.max(1.0 / GRID, 1.059 * sd * Math.pow(xs.length, -0.2));
    double[] p = xs.length <= EXACT_UP_TO ? exactSums(xs, h) : binnedSums(xs, h);
    double total = 0;
    for (double v : p) {
      total += v;
    }
    for (int c = 0; c < GRID; c++) {
      p[c] /= total;
    }
    return p;
  }

  /** Each cell's kernel sum over every value. */
  static double[] exactSums(double[] xs, double h) {
    double[] p = new double[GRID];
    for (int c = 0; c < GRID; c++) {
      double centre = (c + 0.5) / GRID;
      double sum = 0;
      for (double x : xs) {
        double z = (centre - x) / h;
        sum += Math.exp(-0.5 * z * z);
      }
      p[c] = sum;
    }
    return p;
  }

  /**
   * Each cell's kernel sum with the values counted in {@link #BINS} equal bins, each at its bin's centre (at most
   * 1/20,000 from where it is: the kernel's argument moves by at most 0.005, since the bandwidth is at least
   * 1/100; a cell's sum stays within 0.1% of the exact one, ImportanceTest checks it), so that 100,000 results
   * cost at most 100 x 10,000 multiplications, not 100 x 100,000 exponentials.
   */
  static double[] binnedSums(double[] xs, double h) {
    int[] count = new int[BINS];
    for (double x : xs) {
      count[Math.min(BINS - 1, Math.max(0, (int) (x * BINS)))]++;
    }
    int per = BINS / GRID;
    // the kernel between cell c's centre and bin k's centre depends only on c * per - k
    double[] kernel = new double[2 * BINS];
    for (int j = -BINS; j < BINS; j++) {
      double z = (j + per / 2.0 - 0.5) / BINS / h;
      kernel[j + BINS] = Math.exp(-0.5 * z * z);
    }
    double[] p = new double[GRID];
    for (int k = 0; k < BINS; k++) {
      if (count[k] == 0) {
        continue;
      }
      for (int c = 0; c < GRID; c++) {
        p[c] += count[k] * kernel[c * per - k + BINS];
      }
    }
    return p;
  }
}
