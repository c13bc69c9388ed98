package io.hps.goals;

import io.hps.protocol.Constraint;
import io.hps.protocol.Metrics;
import io.hps.protocol.Objective;
import io.hps.protocol.Result;
import io.hps.protocol.StudyConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A study's objectives and constraints applied to its results: each result's objective vector (to
 * minimise), whether it is feasible, the Pareto front, and the order in which a model-based strategy
 * counts results good. With the default (validation error alone, no constraint) this is the study of
 * before: the best result is the one with the lowest final validation error.
 */
public final class Goals {
  private final List<Objective> objectives;
  private final List<Constraint> constraints;

  public Goals(List<Objective> objectives, List<Constraint> constraints) {
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("a study has at least one objective");
    }
    this.objectives = List.copyOf(objectives);
    this.constraints = List.copyOf(constraints);
  }

  /** The goals of a study. */
  public static Goals of(StudyConfig config) {
    return new Goals(config.goals(), config.constraints());
  }

  /** Validation error, minimised, and no constraint. */
  public static Goals single() {
    return new Goals(List.of(Objective.DEFAULT), List.of());
  }

  public List<Objective> objectives() {
    return objectives;
  }

  public List<Constraint> constraints() {
    return constraints;
  }

  /** Whether these are the default goals (one objective, validation error, no constraint). */
  public boolean isDefault() {
    return objectives.equals(List.of(Objective.DEFAULT)) && constraints.isEmpty();
  }

  /** The result's objective vector, every value to minimise; empty when it lacks one of the metrics. */
  public Optional<double[]> values(Result result) {
    double[] v = new double[objectives.size()];
    for (int i = 0; i < v.length; i++) {
      OptionalDouble x = objectives.get(i).minimised(result);
      if (x.isEmpty()) {
        return Optional.empty();
      }
      v[i] = x.getAsDouble();
    }
    return Optional.of(v);
  }

  /** The objective values as the metrics read (maximised ones not negated), for people. */
  public Optional<double[]> shown(Result result) {
    return values(result).map(v -> {
      double[] s = v.clone();
      for (int i = 0; i < s.length; i++) {
        if (objectives.get(i).direction() == io.hps.protocol.Direction.MAXIMIZE) {
          s[i] = -s[i];
        }
      }
      return s;
    });
  }

  /** How far the result is beyond its constraints, summed: 0 when feasible (infinite when it lacks a metric). */
  public double violation(Result result) {
    double sum = 0;
    for (Constraint c : constraints) {
      sum += c.violation(result);
    }
    return sum;
  }

  public boolean feasible(Result result) {
    return violation(result) == 0;
  }

  /** Whether the result has every metric the constraints name and breaks one of their bounds. */
  public boolean breaks(Result result) {
    double v = violation(result);
    return v > 0 && Double.isFinite(v);
  }

  /** The metrics these goals name that none of {@code results} has: objectives and constraints no trainer reports. */
  public Set<String> unreported(List<Result> results) {
    Set<String> names = new LinkedHashSet<>();
    objectives.forEach(o -> names.add(o.metric()));
    constraints.forEach(c -> names.add(c.metric()));
    names.removeIf(name -> results.stream().anyMatch(r -> Metrics.value(r, name).isPresent()));
    return names;
  }

  /** The feasible results with every objective that no other such result dominates, in the order given. */
  public List<Result> front(List<Result> results) {
    List<Result> scored = new ArrayList<>();
    List<double[]> points = new ArrayList<>();
    for (Result r : results) {
      Optional<double[]> v = values(r);
      if (v.isPresent() && feasible(r)) {
        scored.add(r);
        points.add(v.get());
      }
    }
    List<Result> front = new ArrayList<>();
    for (int i : Pareto.front(points)) {
      front.add(scored.get(i));
    }
    return front;
  }

  /**
   * The {@code k} best of {@code results}, as a model-based strategy splits them into good and bad: feasible
   * results with every objective first, by value for one objective (ties by point, then id), by Pareto rank
   * for several (the rank that does not fit whole filled by hypervolume contribution, as MOTPE does); then
   * infeasible ones by how far they miss; results without a value (failed, diverged, lacking a metric) last.
   */
  public List<Result> best(List<Result> results, int k) {
    Comparator<Result> tie = Comparator.comparingInt(Result::point).thenComparing(Result::id);
    List<Result> all = results;
    if (!inTieOrder(all)) {
      all = new ArrayList<>(results);
      all.sort(tie); // the same split whatever order the results arrived in (a master gives them in this order)
    }
    List<Result> feasible = new ArrayList<>();
    List<Valued> valued = new ArrayList<>(); // one objective: each feasible result's value, read once
    List<Result> infeasible = new ArrayList<>();
    List<Result> none = new ArrayList<>();
    boolean one = objectives.size() == 1;
    for (Result r : all) {
      double value;
      if (one) {
        java.util.OptionalDouble v = objectives.get(0).minimised(r);
        if (v.isEmpty()) {
          none.add(r);
          continue;
        }
        value = v.getAsDouble();
      } else if (values(r).isEmpty()) {
        none.add(r);
        continue;
      } else {
        value = Double.NaN;
      }
      if (!constraints.isEmpty() && !feasible(r)) {
        infeasible.add(r);
      } else if (one) {
        valued.add(new Valued(value, r));
      } else {
        feasible.add(r);
      }
    }
    List<Result> out = new ArrayList<>(k);
    if (one) {
      out.addAll(lowest(valued, k, tie));
    } else {
      List<double[]> points = feasible.stream().map(r -> values(r).orElseThrow()).toList();
      List<List<Integer>> levels = Pareto.levels(Pareto.ranks(points));
      for (int r = 0; out.size() < k && out.size() < feasible.size(); r++) {
        List<Integer> level = levels.get(r);
        if (out.size() + level.size() <= k) {
          level.forEach(i -> out.add(feasible.get(i)));
        } else {
          List<double[]> levelPoints = level.stream().map(points::get).toList();
          for (int i : Pareto.greedyByContribution(levelPoints, k - out.size(), Pareto.nadirMargin(points))) {
            out.add(feasible.get(level.get(i)));
          }
        }
      }
    }
    infeasible.sort(Comparator.comparingDouble(this::violation).thenComparing(tie));
    for (List<Result> rest : List.of(infeasible, none)) {
      for (Result r : rest) {
        if (out.size() < k) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Whether {@code results} are by point, then id, already: a check without a comparator's indirections. */
  private static boolean inTieOrder(List<Result> results) {
    for (int i = 1; i < results.size(); i++) {
      Result a = results.get(i - 1);
      Result b = results.get(i);
      if (a.point() > b.point() || a.point() == b.point() && a.id().compareTo(b.id()) > 0) {
        return false;
      }
    }
    return true;
  }

  /** A result with its one objective's value, read once (not at every comparison of a sort). */
  private record Valued(double value, Result result) {}

  /**
   * The {@code k} of {@code results} (feasible, with a value) with the lowest value, ties by {@code tie}, in that
   * order: a partial sort when {@code k} is small (a model-based strategy takes the best 25 of 100,000 results).
   */
  private static List<Result> lowest(List<Valued> results, int k, Comparator<Result> tie) {
    Comparator<Valued> order = Comparator.comparingDouble(Valued::value).thenComparing(Valued::result, tie);
    List<Valued> kept = new ArrayList<>();
    if (k >= results.size() / 4) {
      kept.addAll(results);
    } else if (k > 0) {
      java.util.PriorityQueue<Valued> worstFirst = new java.util.PriorityQueue<>(k + 1, order.reversed());
      for (Valued v : results) {
        if (worstFirst.size() < k) {
          worstFirst.add(v);
        } else if (Double.compare(v.value(), worstFirst.peek().value()) <= 0
            && order.compare(v, worstFirst.peek()) < 0) {
          worstFirst.poll(); // most results are worse than the k-th best so far: one comparison, no heap work
          worstFirst.add(v);
        }
      }
      kept.addAll(worstFirst);
    }
    kept.sort(order);
    return kept.subList(0, Math.min(k, kept.size())).stream().map(Valued::result).toList();
  }

  /**
   * A weight for each of {@code good} (a strategy's good results): how much hypervolume it alone adds to the
   * others', as a share of the largest such contribution, at least {@code 1e-12}; results dominated within the
   * good set, infeasible or without a value weigh the least. The reference point lies a tenth beyond the good
   * set's worst value of each objective. MOTPE (Ozaki et al. 2022) weighs its good kernels so.
   */
  public double[] contributionWeights(List<Result> good) {
    double[] weights = new double[good.size()];
    java.util.Arrays.fill(weights, 1e-12);
    List<Integer> scored = new ArrayList<>();
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < good.size(); i++) {
      Optional<double[]> v = values(good.get(i));
      if (v.isPresent() && feasible(good.get(i))) {
        scored.add(i);
        points.add(v.get());
      }
    }
    if (points.isEmpty()) {
      return weights;
    }
    double[] reference = Pareto.nadirMargin(points);
    List<Integer> front = Pareto.front(points);
    List<double[]> frontPoints = front.stream().map(points::get).toList();
    double all = Pareto.hypervolume(frontPoints, reference);
    double largest = 0;
    double[] contribution = new double[front.size()];
    for (int f = 0; f < front.size(); f++) {
      List<double[]> without = new ArrayList<>(frontPoints);
      without.remove(f);
      contribution[f] = all - Pareto.hypervolume(without, reference);
      largest = Math.max(largest, contribution[f]);
    }
    for (int f = 0; f < front.size(); f++) {
      weights[scored.get(front.get(f))] = largest > 0 ? Math.max(1e-12, contribution[f] / largest) : 1.0;
    }
    return weights;
  }

  /**
   * Each objective's smallest and largest value (minimised form) over the {@code results} that have every
   * objective, as {@code {low, high}}; empty when none has.
   */
  public Optional<double[][]> range(List<Result> results) {
    int m = objectives.size();
    double[] low = new double[m];
    double[] high = new double[m];
    java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
    boolean any = false;
    for (Result r : results) {
      Optional<double[]> v = values(r);
      if (v.isPresent()) {
        any = true;
        for (int i = 0; i < m; i++) {
          low[i] = Math.min(low[i], v.get()[i]);
          high[i] = Math.max(high[i], v.get()[i]);
        }
      }
    }
    return any ? Optional.of(new double[][] {low, high}) : Optional.empty();
  }

  /**
   * The hypervolume of the feasible front of {@code results} with each objective scaled to [0, 1] by
   * {@code low} and {@code high} (per objective, minimised form) and reference point 1.1 in each.
   */
  public double normalisedHypervolume(List<Result> results, double[] low, double[] high) {
    List<double[]> points = new ArrayList<>();
    for (Result r : front(results)) {
      double[] v = values(r).orElseThrow();
      double[] n = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        n[i] = high[i] > low[i] ? (v[i] - low[i]) / (high[i] - low[i]) : 0;
      }
      points.add(n);
    }
    double[] ref = new double[objectives.size()];
    java.util.Arrays.fill(ref, 1.1);
    return Pareto.hypervolume(points, ref);
  }

  @Override
  public String toString() {
    return String.join(", ", objectives.stream().map(Objective::toString).toList())
        + (constraints.isEmpty() ? "" : "; subject to " + String.join(", ", constraints.stream()
            .map(Constraint::toString).toList()));
  }
}
