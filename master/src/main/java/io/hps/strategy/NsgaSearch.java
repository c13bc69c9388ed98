package io.hps.strategy;

import io.hps.goals.Goals;
import io.hps.goals.Pareto;
import io.hps.protocol.Result;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * NSGA-II (Deb et al. 2002) in the unit cube of the space, for one objective or several, with constraints by
 * constrained domination. Point {@code k} belongs to generation {@code k / population}; generation 0 is random
 * search's points. For a later generation the parents are the best {@code population} results of earlier
 * generations that have arrived: feasible ones by non-domination rank and, within a rank, crowding distance
 * (the most isolated first); then infeasible ones by how far they miss; then those without a value. Each
 * child: two binary tournaments pick its parents, uniform crossover (with chance 0.9, each coordinate from
 * either parent; else the first parent's), and each coordinate is redrawn uniformly with chance
 * {@code 1 / dimensions} (as Optuna's NSGA-II defaults). Keeping every earlier result as the pool (not only the
 * last generation and its parents) makes a point a function of (seed, space, results seen), like every
 * strategy here, so a restarted master and the simulator propose the same.
 */
final class NsgaSearch implements SearchStrategy {
  static final int POPULATION = 20;
  private static final double CROSSOVER = 0.9;

  private final SearchSpace space;
  private final long seed;
  private final int population;
  private final Goals goals;
  private final RandomSearch startup;

  NsgaSearch(SearchSpace space, long seed, int population, Goals goals) {
    this.space = space;
    this.seed = seed;
    this.population = population;
    this.goals = goals;
    this.startup = new RandomSearch(space, seed);
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, int count) {
    List<Proposal> out = new ArrayList<>(count);
    for (int k = proposed; k < proposed + count; k++) {
      int generation = k / population;
      List<double[]> parents = generation == 0 || space.dimensions() == 0 ? List.of()
          : parents(results, generation * population);
      if (parents.size() < 2) {
        out.add(Proposal.of(startup.point(k), "NSGA-II: a random point (generation " + generation + ": "
            + (generation == 0 ? "the first generation is random" : "fewer than two results to breed from") + ")"));
        continue;
      }
      out.add(Proposal.of(space.decode(child(parents, k)), "NSGA-II generation " + generation + ": a child of two"
          + " parents, each the winner of a binary tournament among the best " + parents.size() + " results of earlier"
          + " generations (by Pareto rank and crowding distance), by uniform crossover and mutation"));
    }
    return out;
  }

  /** The unit-cube points of the best {@code population} results of points before {@code before}, best first. */
  private List<double[]> parents(List<Result> results, int before) {
    List<Result> pool = new ArrayList<>();
    for (Result r : results) {
      if (r.point() < before) {
        pool.add(r);
      }
    }
    pool.sort(Comparator.comparingInt(Result::point).thenComparing(Result::id)); // arrival order does not matter
    List<Result> feasible = new ArrayList<>();
    List<Result> infeasible = new ArrayList<>();
    List<Result> none = new ArrayList<>();
    for (Result r : pool) {
      Optional<double[]> v = goals.values(r);
      (v.isEmpty() ? none : goals.feasible(r) ? feasible : infeasible).add(r);
    }
    List<Result> ordered = new ArrayList<>();
    List<double[]> values = feasible.stream().map(r -> goals.values(r).orElseThrow()).toList();
    List<List<Integer>> levels = Pareto.levels(Pareto.ranks(values));
    // only the first population of this order are parents: the ranks past them need no crowding sort
    for (int level = 0; ordered.size() < Math.min(population, feasible.size()); level++) {
      List<Integer> members = levels.get(level);
      double[] crowding = crowding(members.stream().map(values::get).toList());
      Integer[] order = new Integer[members.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -crowding[i]).thenComparingInt(i -> i));
      for (int i : order) {
        ordered.add(feasible.get(members.get(i)));
      }
    }
    infeasible.sort(Comparator.comparingDouble(goals::violation).thenComparingInt(Result::point));
    ordered.addAll(infeasible);
    ordered.addAll(none);
    List<double[]> parents = new ArrayList<>();
    for (Result r : ordered.subList(0, Math.min(population, ordered.size()))) {
      parents.add(space.encode(r.params()));
    }
    return parents;
  }

  /** Crowding distance of each point within its front: the perimeter of its neighbours' box; ends infinite. */
  static double[] crowding(List<double[]> points) {
    int n = points.size();
    double[] distance = new double[n];
    if (n == 0) {
      return distance;
    }
    int m = points.get(0).length;
    for (int j = 0; j < m; j++) {
      final int objective = j;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> points.get(i)[objective]).thenComparingInt(i -> i));
      double span = points.get(order[n - 1])[j] - points.get(order[0])[j];
      distance[order[0]] = Double.POSITIVE_INFINITY;
      distance[order[n - 1]] = Double.POSITIVE_INFINITY;
      for (int i = 1; i < n - 1 && span > 0; i++) {
        distance[order[i]] += (points.get(order[i + 1])[j] - points.get(order[i - 1])[j]) / span;
      }
    }
    return distance;
  }

  /** Child {@code k}: tournaments, uniform crossover and mutation, from its own stream of random numbers. */
  private double[] child(List<double[]> parents, int k) {
    SplittableRandom random = new SplittableRandom(seed * 0xD1B54A32D192ED03L ^ (k + 1) * 0x9E3779B97F4A7C15L);
    double[] a = parents.get(tournament(parents.size(), random));
    double[] b = parents.get(tournament(parents.size(), random));
    boolean cross = random.nextDouble() < CROSSOVER;
    double[] x = new double[a.length];
    double mutation = 1.0 / a.length;
    for (int d = 0; d < x.length; d++) {
      x[d] = cross && random.nextBoolean() ? b[d] : a[d];
      if (random.nextDouble() < mutation) {
        x[d] = random.nextDouble();
      }
    }
    return x;
  }

  /** Binary tournament over parents sorted best first: the better (lower index) of two drawn. */
  private static int tournament(int n, SplittableRandom random) {
    return Math.min(random.nextInt(n), random.nextInt(n));
  }
}
