package io.hps.simulate;

import io.hps.goals.Pareto;
import io.hps.protocol.Direction;
import io.hps.protocol.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Each objective's range over every result of a set of replays (those breaking a constraint included, as hps
 * status scales them), so that their hypervolumes compare: values are scaled to [0, 1] over that range, maximised
 * objectives flipped so that lower is better, and the front's hypervolume taken against the reference point 1.1 in
 * every objective.
 */
public final class ObjectiveScale {
  /** The reference point's coordinate in every scaled objective. */
  public static final double REFERENCE = 1.1;

  private final double[] low;
  private final double[] high;
  private final boolean[] maximised;

  private ObjectiveScale(double[] low, double[] high, boolean[] maximised) {
    this.low = low;
    this.high = high;
    this.maximised = maximised;
  }

  /** The ranges over every result of {@code methods}' replays. */
  public static ObjectiveScale of(List<ReplayComparison> methods, List<Objective> objectives) {
    int m = objectives.size();
    double[] low = new double[m];
    double[] high = new double[m];
    Arrays.fill(low, Double.POSITIVE_INFINITY);
    Arrays.fill(high, Double.NEGATIVE_INFINITY);
    for (ReplayComparison c : methods) {
      for (Replay r : c.replays()) {
        for (double[] v : r.values()) {
          for (int i = 0; v != null && i < m; i++) {
            low[i] = Math.min(low[i], v[i]);
            high[i] = Math.max(high[i], v[i]);
          }
        }
      }
    }
    boolean[] maximised = new boolean[m];
    for (int i = 0; i < m; i++) {
      maximised[i] = objectives.get(i).direction() == Direction.MAXIMIZE;
    }
    return new ObjectiveScale(low, high, maximised);
  }

  /**
   * The hypervolume of the front of {@code values} (objective values as read; nulls left out), scaled; 0 for
   * none. The caller leaves out results that break a constraint ({@link Replay#valuesAfter}).
   */
  public double hypervolume(List<double[]> values) {
    int m = low.length;
    List<double[]> scaled = new ArrayList<>(values.size());
    for (double[] v : values) {
      if (v == null) {
        continue;
      }
      double[] n = new double[m];
      for (int i = 0; i < m; i++) {
        double x = high[i] > low[i] ? (v[i] - low[i]) / (high[i] - low[i]) : 0;
        n[i] = maximised[i] ? 1 - x : x;
      }
      scaled.add(n);
    }
    double[] ref = new double[m];
    Arrays.fill(ref, REFERENCE);
    return scaled.isEmpty() ? 0 : Pareto.hypervolume(scaled, ref);
  }

  /** The mean over {@code method}'s seeds of the hypervolume of all its feasible results. */
  public double meanHypervolume(ReplayComparison method) {
    return method.replays().stream().mapToDouble(r -> hypervolume(r.valuesAfter(Double.POSITIVE_INFINITY)))
        .average().orElse(Double.NaN);
  }
}
