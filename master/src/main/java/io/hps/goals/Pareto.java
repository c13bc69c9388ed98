package io.hps.goals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Pareto dominance, non-dominated sorting and hypervolume of points to minimise. */
public final class Pareto {
  private Pareto() {}

  /** Whether {@code a} dominates {@code b}: no worse in every objective and better in one. */
  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
      better |= a[i] < b[i];
    }
    return better;
  }

  /**
   * The indices of the points no other point dominates, in order; O(n f) for a front of f points, so a
   * study of many results with a small front is cheap. Equal points are all on the front.
   */
  public static List<Integer> front(List<double[]> points) {
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      boolean dominated = false;
      for (int j : front) {
        if (dominates(points.get(j), p)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        front.removeIf(j -> dominates(p, points.get(j)));
        front.add(i);
      }
    }
    front.sort(null);
    return front;
  }

  /**
   * Each point's non-domination rank: 0 for the front, 1 for the front without it, and so on. One or two
   * objectives: O(n log n) (see {@link #ranksOfOne}, {@link #ranksOfTwo}); more: every pair is compared, O(n^2).
   */
  public static int[] ranks(List<double[]> points) {
    if (points.isEmpty() || points.stream().anyMatch(p -> Double.isNaN(Arrays.stream(p).sum()))) {
      return ranksByPairs(points);
    }
    return switch (points.get(0).length) {
      case 1 -> ranksOfOne(points);
      case 2 -> ranksOfTwo(points);
      default -> ranksByPairs(points);
    };
  }

  /** One objective: a point's rank is the number of distinct values below its own (equal values share a rank). */
  static int[] ranksOfOne(List<double[]> points) {
    double[] values = new double[points.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = points.get(i)[0] == 0 ? 0.0 : points.get(i)[0]; // -0.0 is 0.0 to dominance
    }
    double[] distinct = values.clone();
    Arrays.sort(distinct);
    int count = 0;
    for (int i = 0; i < distinct.length; i++) {
      if (i == 0 || distinct[i] > distinct[count - 1]) {
        distinct[count++] = distinct[i];
      }
    }
    int[] rank = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      rank[i] = Arrays.binarySearch(distinct, 0, count, values[i]);
    }
    return rank;
  }

  /**
   * Ranks of points of two objectives in one sweep: in order of the first objective, then the second, a point's
   * dominators all come before it; within a front the second objective then falls (or stays, for equal points), so
   * whether a front dominates the point is whether its last point does, and the fronts that do are the first ones
   * (a point of a front is dominated by one of the front before it): a binary search finds the point's front.
   */
  static int[] ranksOfTwo(List<double[]> points) {
    int n = points.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // < and >, not Double.compare: -0.0 and 0.0 are one value to dominance, so they must be one to the order too
    Arrays.sort(order, (a, b) -> {
      double[] p = points.get(a);
      double[] q = points.get(b);
      int c = p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0;
      return c != 0 ? c : p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0;
    });
    int[] rank = new int[n];
    double[][] last = new double[n][]; // each front's last point
    int fronts = 0;
    for (int i : order) {
      double[] p = points.get(i);
      int low = 0;
      int high = fronts;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (dominates(last[mid], p)) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      rank[i] = low;
      last[low] = p;
      fronts = Math.max(fronts, low + 1);
    }
    return rank;
  }

  /** The indices of each rank, each in order: {@code levels(ranks(points)).get(0)} is the front. */
  public static List<List<Integer>> levels(int[] rank) {
    List<List<Integer>> levels = new ArrayList<>();
    for (int i = 0; i < rank.length; i++) {
      while (levels.size() <= rank[i]) {
        levels.add(new ArrayList<>());
      }
      levels.get(rank[i]).add(i);
    }
    return levels;
  }

  /** Ranks by comparing every pair: any number of objectives. */
  static int[] ranksByPairs(List<double[]> points) {
    int n = points.size();
    int[] dominatedBy = new int[n];
    List<List<Integer>> dominates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dominates.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (dominates(points.get(i), points.get(j))) {
          dominates.get(i).add(j);
          dominatedBy[j]++;
        } else if (dominates(points.get(j), points.get(i))) {
          dominates.get(j).add(i);
          dominatedBy[i]++;
        }
      }
    }
    int[] rank = new int[n];
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (dominatedBy[i] == 0) {
        current.add(i);
      }
    }
    for (int r = 0; !current.isEmpty(); r++) {
      List<Integer> next = new ArrayList<>();
      for (int i : current) {
        rank[i] = r;
        for (int j : dominates.get(i)) {
          if (--dominatedBy[j] == 0) {
            next.add(j);
          }
        }
      }
      current = next;
    }
    return rank;
  }

  /**
   * The volume dominated by {@code points} and bounded by {@code reference} (points not below the reference
   * in every objective add nothing). Exact: a sweep in two dimensions, slicing along the last objective above.
   */
  public static double hypervolume(List<double[]> points, double[] reference) {
    List<double[]> inside = new ArrayList<>();
    for (double[] p : points) {
      boolean below = true;
      for (int i = 0; i < p.length; i++) {
        below &= p[i] < reference[i];
      }
      if (below) {
        inside.add(p);
      }
    }
    return volume(inside, reference, reference.length);
  }

  private static double volume(List<double[]> points, double[] reference, int m) {
    if (points.isEmpty()) {
      return 0;
    }
    if (m == 1) {
      return reference[0] - points.stream().mapToDouble(p -> p[0]).min().orElseThrow();
    }
    if (m == 2) {
      List<double[]> sorted = new ArrayList<>(points);
      sorted.sort(Comparator.comparingDouble((double[] p) -> p[0]).thenComparingDouble(p -> p[1]));
      double area = 0;
      double lowest = reference[1];
      for (double[] p : sorted) {
        if (p[1] < lowest) {
          area += (reference[0] - p[0]) * (lowest - p[1]);
          lowest = p[1];
        }
      }
      return area;
    }
    // Slices between successive values of the last objective: the points at or below a slice's floor dominate it.
    List<double[]> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(p -> p[m - 1]));
    double total = 0;
    List<double[]> active = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      active.add(sorted.get(i));
      double top = i + 1 < sorted.size() ? sorted.get(i + 1)[m - 1] : reference[m - 1];
      double depth = top - sorted.get(i)[m - 1];
      if (depth > 0) {
        total += depth * volume(active, reference, m - 1);
      }
    }
    return total;
  }

  /**
   * Picks {@code k} of {@code points} greedily by hypervolume contribution (each next one adds the most
   * volume to those picked), as MOTPE fills its good set from a rank that does not fit whole. Indices into
   * {@code points}, in the order picked; ties go to the lower index.
   */
  public static List<Integer> greedyByContribution(List<double[]> points, int k, double[] reference) {
    List<Integer> picked = new ArrayList<>();
    List<double[]> chosen = new ArrayList<>();
    boolean[] used = new boolean[points.size()];
    double base = 0;
    while (picked.size() < Math.min(k, points.size())) {
      int best = -1;
      double bestGain = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < points.size(); i++) {
        if (used[i]) {
          continue;
        }
        chosen.add(points.get(i));
        double gain = hypervolume(chosen, reference) - base;
        chosen.remove(chosen.size() - 1);
        if (gain > bestGain) {
          bestGain = gain;
          best = i;
        }
      }
      used[best] = true;
      picked.add(best);
      chosen.add(points.get(best));
      base += bestGain;
    }
    return picked;
  }

  /** A reference point just beyond the worst of {@code points} in each objective (a tenth of the range, at least 1e-9). */
  public static double[] nadirMargin(List<double[]> points) {
    int m = points.get(0).length;
    double[] low = new double[m];
    double[] high = new double[m];
    Arrays.fill(low, Double.POSITIVE_INFINITY);
    Arrays.fill(high, Double.NEGATIVE_INFINITY);
    for (double[] p : points) {
      for (int i = 0; i < m; i++) {
        low[i] = Math.min(low[i], p[i]);
        high[i] = Math.max(high[i], p[i]);
      }
    }
    double[] ref = new double[m];
    for (int i = 0; i < m; i++) {
      ref[i] = high[i] + Math.max(1e-9, 0.1 * (high[i] - low[i]));
    }
    return ref;
  }
}
