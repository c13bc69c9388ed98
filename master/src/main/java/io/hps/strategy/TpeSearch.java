package io.hps.strategy;

import io.hps.goals.Goals;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), multivariate, in the unit cube of the space
 * (categories and integers relaxed to their cells). The first {@link #STARTUP} points are random search's;
 * after that the finished results are split at the best {@code min(ceil(n / 10), 25)} (Optuna's default
 * gamma; with several objectives the best {@code min(ceil(0.15 n), 25)}, see {@link #GAMMA_SEVERAL}, ordered
 * by Pareto rank and hypervolume contribution, as MOTPE does, and with
 * constraints feasible results first, see {@link Goals#best}), a Parzen mixture of truncated Gaussians
 * (bandwidth {@code 0.2 n^(-1/(d+4))}, plus a wide prior kernel; with several objectives each good kernel
 * weighs its hypervolume contribution) is fitted to each side, {@link #CANDIDATES} points
 * ({@link #CANDIDATES_SEVERAL} with several objectives) are drawn from the good side's mixture, and the
 * one with the largest ratio of good to bad density is proposed. Settings in flight (proposed, no result
 * yet) and earlier points of the same batch count as bad results (a constant liar), so parallel workers are
 * not handed near-duplicates. Failed and diverged results count as the worst. Deterministic: the same seed,
 * space, results and settings in flight give the same proposals, whatever the order they arrive in.
 */
final class TpeSearch implements SearchStrategy {
  static final int STARTUP = 10;
  static final int CANDIDATES = 24;
  /**
   * Candidates with several objectives: the good set is a front spread over the space, not one basin, and more
   * draws find its best ratio. With {@link #GAMMA_SEVERAL} (LCBench, 34 tasks, mean hypervolume after 50 / 100
   * evaluations, seeds 1-5: 24 candidates and gamma 0.1 gave 1.1452 / -, 100 and 0.1 gave 1.1528 / 1.1953,
   * 200 and 0.15 gave 1.1631 / 1.2016; checked on fresh seeds 6-10: 1.1341 / 1.1849 with 100 and 0.1,
   * 1.1486 / 1.1985 with 200 and 0.15; README, "Several objectives").
   */
  static final int CANDIDATES_SEVERAL = 200;
  /** Optuna's gamma, the share of results in the good set. */
  static final double GAMMA = 0.1;
  /** The good set's share with several objectives: a front needs more points than one basin's best. */
  static final double GAMMA_SEVERAL = 0.15;
  private static final double PRIOR_SIGMA = 1.0;
  /**
   * The most finished results the bad density has kernels for (settings in flight come on top): a proposal's
   * cost grows with them, and past a thousand more kernels change the density little.
   */
  static final int BAD_KERNELS = 1000;

  private final SearchSpace space;
  private final long seed;
  private final RandomSearch startup;
  private final int startupPoints;
  private final Goals goals;

  TpeSearch(SearchSpace space, long seed) {
    this(space, seed, STARTUP, Goals.single());
  }

  /**
   * With {@code startupPoints} random points before the model (BOHB uses the dimensions plus one), and the
   * study's {@code goals}, which order results from good to bad.
   */
  TpeSearch(SearchSpace space, long seed, int startupPoints, Goals goals) {
    this.goals = goals;
    this.space = space;
    this.seed = seed;
    this.startup = new RandomSearch(space, seed);
    this.startupPoints = startupPoints;
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, int count) {
    return propose(proposed, results, List.of(), count);
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, List<Setting> inFlight, int count) {
    int n = results.size();
    boolean several = goals.objectives().size() > 1;
    int nBelow = Math.max(1, Math.min((int) Math.ceil((several ? GAMMA_SEVERAL : GAMMA) * n), 25));
    List<double[]> below = new ArrayList<>();
    List<double[]> above = new ArrayList<>();
    int rest = Math.max(0, n - nBelow);
    List<Result> good;
    if (rest <= BAD_KERNELS) {
      List<Result> ordered = goals.best(results, n);
      good = ordered.subList(0, Math.min(nBelow, n));
      for (int i = 0; i < n; i++) {
        (i < nBelow ? below : above).add(space.encode(ordered.get(i).params()));
      }
    } else if (!several && split(results) != null) {
      // The same split from what the last proposal kept (see Split): a few results read, not all of them.
      Split kept = split(results);
      good = kept.best(nBelow);
      good.forEach(r -> below.add(space.encode(r.params())));
      for (Result r : kept.sample(good, results, BAD_KERNELS)) {
        above.add(space.encode(r.params()));
      }
    } else {
      // The bad density from at most BAD_KERNELS results: every k-th of the others in the order of their points
      // (a sample of where the search went, early and late), so that a proposal costs about the same at
      // 100,000 results as at 1,000; below that nothing changes.
      good = goals.best(results, nBelow);
      // the good ones are elements of results: told apart by identity, no id hashed
      java.util.Set<Result> goodOnes = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Result r : good) {
        below.add(space.encode(r.params()));
        goodOnes.add(r);
      }
      List<Result> others = new ArrayList<>(rest);
      for (Result r : results) {
        if (!goodOnes.contains(r)) {
          others.add(r);
        }
      }
      // the same sample whatever order the results came in (a master gives them in this order already)
      if (!inPointOrder(others)) {
        others.sort(Comparator.comparingInt(Result::point).thenComparingInt(Result::repeat).thenComparing(Result::id));
      }
      for (int i = 0; i < BAD_KERNELS; i++) {
        above.add(space.encode(others.get((int) ((long) i * others.size() / BAD_KERNELS)).params()));
      }
      rest = others.size();
    }
    // Several objectives: each good point weighs its share of the good set's hypervolume (MOTPE's weights).
    double[] weights = several && n > 0 ? goals.contributionWeights(good) : null;
    int candidates = several ? CANDIDATES_SEVERAL : CANDIDATES;
    List<double[]> liars = new ArrayList<>();
    inFlight.stream().sorted(Comparator.comparingInt(Setting::point).thenComparingInt(Setting::repeat))
        .forEach(s -> liars.add(space.encode(s.params())));
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = proposed + i;
      if (n < startupPoints || space.dimensions() == 0) {
        Params p = startup.point(index);
        out.add(Proposal.of(p, space.dimensions() == 0 ? "TPE: nothing to search (no parameter varies)"
            : String.format(java.util.Locale.ROOT, "TPE start-up: random point %d of the seed's stream (the model"
            + " starts once %d results are in; %d were)", index, startupPoints, n)));
        liars.add(space.encode(p));
        continue;
      }
      double[] best = new double[1];
      double[] u = next(below, weights, above, liars, index, candidates, best);
      out.add(Proposal.of(space.decode(u), String.format(java.util.Locale.ROOT, "TPE: of %d results, the best %d"
          + " (%s) make the good density l(x); %s, plus %d point%s still in flight or proposed"
          + " earlier in this batch (counted as bad), make the bad density g(x); of %d candidates drawn from l(x),"
          + " this one has the largest l(x)/g(x), %.3g", n, nBelow, several ? "by Pareto rank, then hypervolume contribution"
          : "by the objective", above.size() == rest ? "the other " + rest : above.size() + " of the other " + rest
          + " (evenly spread over them by point)", liars.size(), liars.size() == 1 ? "" : "s", candidates,
          Math.exp(best[0]))));
      liars.add(u);
    }
    return out;
  }

  /** Results by point, then repeat, then id: the order the bad density's sample is spread over. */
  private static final Comparator<Result> POINT_ORDER = Comparator.comparingInt(Result::point)
      .thenComparingInt(Result::repeat).thenComparing(Result::id);

  /** What the last proposal kept of the ledger's results (one objective, past BAD_KERNELS results), or null. */
  private Split memo;

  /**
   * One objective: every result in best-first order ({@link Goals#best}'s) and whether the ledger's list is in point
   * order, kept up to date from the results accepted since the last proposal ({@link GrowingResults}), so that the
   * good set is the first few and the bad density's sample is found by position, without reading every result.
   */
  private final class Split {
    GrowingResults.Mark mark;
    boolean ordered;
    final java.util.TreeMap<AshaSearch.Rank, Result> bestFirst = new java.util.TreeMap<>();

    /** The first {@code k} in best-first order. */
    List<Result> best(int k) {
      List<Result> out = new ArrayList<>(k);
      for (Result r : bestFirst.values()) {
        if (out.size() == k) {
          break;
        }
        out.add(r);
      }
      return out;
    }

    /**
     * Every {@code size / count}-th of the results but {@code good}, in point order: as the full pass picks them,
     * found by position in {@code byPoint} (in point order), skipping the good ones' places.
     */
    List<Result> sample(List<Result> good, List<Result> byPoint, int count) {
      int[] skipped = new int[good.size()];
      for (int i = 0; i < skipped.length; i++) {
        skipped[i] = java.util.Collections.binarySearch(byPoint, good.get(i), POINT_ORDER);
      }
      java.util.Arrays.sort(skipped);
      int others = byPoint.size() - good.size();
      List<Result> out = new ArrayList<>(count);
      int passed = 0; // good places at or before the index reached
      for (int i = 0; i < count; i++) {
        int target = (int) ((long) i * others / count);
        int index = target + passed;
        while (passed < skipped.length && skipped[passed] <= index) {
          passed++;
          index++;
        }
        out.add(byPoint.get(index));
      }
      return out;
    }
  }

  /**
   * The kept split brought up to date with {@code results}; null unless they are a ledger's growing results, in
   * point order, with one objective.
   */
  private Split split(List<Result> results) {
    GrowingResults.Mark now = GrowingResults.mark(results);
    if (now == null) {
      return null;
    }
    Split kept = memo;
    List<Result> news = GrowingResults.since(kept == null ? null : kept.mark, results);
    if (news == null) {
      kept = new Split();
      for (Result r : results) {
        kept.bestFirst.put(AshaSearch.Rank.of(goals, r, 0), r);
      }
      kept.ordered = inPointOrder(results);
    } else {
      for (Result r : news) {
        kept.bestFirst.put(AshaSearch.Rank.of(goals, r, 0), r);
        // still in point order when each new result sits between its neighbours (the others kept their order)
        int at = java.util.Collections.binarySearch(results, r, POINT_ORDER);
        kept.ordered &= at >= 0 && results.get(at) == r
            && (at == 0 || POINT_ORDER.compare(results.get(at - 1), r) < 0)
            && (at + 1 == results.size() || POINT_ORDER.compare(r, results.get(at + 1)) < 0);
      }
    }
    kept.mark = now;
    memo = kept;
    return kept.ordered ? kept : null;
  }

  /** Whether {@code results} are by point, repeat and id already: a check without a comparator's indirections. */
  private static boolean inPointOrder(List<Result> results) {
    for (int i = 1; i < results.size(); i++) {
      Result a = results.get(i - 1);
      Result b = results.get(i);
      int c = a.point() != b.point() ? Integer.compare(a.point(), b.point())
          : a.repeat() != b.repeat() ? Integer.compare(a.repeat(), b.repeat()) : a.id().compareTo(b.id());
      if (c > 0) {
        return false;
      }
    }
    return true;
  }

  /** The candidate with the best density ratio, for point {@code index}. */
  private double[] next(List<double[]> below, double[] weights, List<double[]> aboveFinished, List<double[]> liars,
      int index, int candidates, double[] bestLogRatio) {
    List<double[]> above = new ArrayList<>(aboveFinished);
    above.addAll(liars);
    Parzen good = new Parzen(below, space.dimensions(), weights);
    Parzen bad = new Parzen(above, space.dimensions());
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (index + 1) * 0xBF58476D1CE4E5B9L);
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      double[] x = good.sample(random);
      double score = good.logDensity(x) - bad.logDensity(x);
      if (score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    bestLogRatio[0] = bestScore;
    return best;
  }

  /** A mixture of truncated Gaussians on [0, 1]^d: one kernel per point and a wide prior kernel at the middle. */
  private static final class Parzen {
    private final List<double[]> centres;
    private final double sigma;
    private final int d;
    /** Each kernel's weight, the prior's (1) last, summing to {@link #total}; null: all equal. */
    private final double[] weights;
    private final double total;

    Parzen(List<double[]> points, int d) {
      this(points, d, null);
    }

    /** With a weight per point (the prior weighs 1); null: every kernel weighs the same. */
    Parzen(List<double[]> points, int d, double[] pointWeights) {
      this.centres = points;
      this.d = d;
      this.sigma = Math.max(0.01, Math.min(1.0, 0.2 * Math.pow(Math.max(1, points.size()), -1.0 / (d + 4))));
      if (pointWeights == null) {
        this.weights = null;
        this.total = 0;
      } else {
        this.weights = java.util.Arrays.copyOf(pointWeights, points.size() + 1);
        this.weights[points.size()] = 1.0;
        this.total = java.util.Arrays.stream(weights).sum();
      }
    }

    int kernels() {
      return centres.size() + 1; // the last one is the prior
    }

    private int kernel(SplittableRandom random) {
      if (weights == null) {
        return random.nextInt(kernels());
      }
      double u = random.nextDouble() * total;
      for (int k = 0; k < weights.length - 1; k++) {
        u -= weights[k];
        if (u < 0) {
          return k;
        }
      }
      return weights.length - 1;
    }

    double[] sample(SplittableRandom random) {
      int k = kernel(random);
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        double mu = k < centres.size() ? centres.get(k)[j] : 0.5;
        double s = k < centres.size() ? sigma : PRIOR_SIGMA;
        x[j] = truncatedNormal(mu, s, random);
      }
      return x;
    }

    /**
     * Each kernel's and dimension's {@code log} of the truncated Gaussian's mass on [0, 1], which does not depend
     * on where the density is evaluated: computed once, not for every candidate (two erf calls each).
     */
    private double[][] logMass;
    private double logScale;
    private double logPriorScale;

    private double[][] logMass() {
      if (logMass == null) {
        logScale = Math.log(sigma * Math.sqrt(2 * Math.PI));
        logPriorScale = Math.log(PRIOR_SIGMA * Math.sqrt(2 * Math.PI));
        logMass = new double[kernels()][d];
        for (int k = 0; k < kernels(); k++) {
          for (int j = 0; j < d; j++) {
            double mu = k < centres.size() ? centres.get(k)[j] : 0.5;
            double s = k < centres.size() ? sigma : PRIOR_SIGMA;
            logMass[k][j] = Math.log(Math.max(1e-300, phi((1 - mu) / s) - phi((0 - mu) / s)));
          }
        }
      }
      return logMass;
    }

    double logDensity(double[] x) {
      double[] logs = new double[kernels()];
      double[][] mass = logMass();
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < logs.length; k++) {
        double sum = 0;
        boolean prior = k >= centres.size();
        double s = prior ? PRIOR_SIGMA : sigma;
        double scale = prior ? logPriorScale : logScale;
        double[] mu = prior ? null : centres.get(k);
        for (int j = 0; j < d; j++) {
          double z = (x[j] - (prior ? 0.5 : mu[j])) / s;
          // the terms of logTruncatedNormal, in its order, so the sum is the same to the last bit
          sum += -0.5 * z * z - scale - mass[k][j];
        }
        logs[k] = sum;
        max = Math.max(max, sum);
      }
      double sum = 0;
      for (int k = 0; k < logs.length; k++) {
        sum += Math.exp(logs[k] - max) * (weights == null ? 1 : weights[k]);
      }
      return max + Math.log(sum / (weights == null ? logs.length : total));
    }
  }

  static double truncatedNormal(double mu, double s, SplittableRandom random) {
    double lo = phi((0 - mu) / s);
    double hi = phi((1 - mu) / s);
    double p = lo + random.nextDouble() * (hi - lo);
    double z = Math.sqrt(2) * Erf.erfInv(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, 2 * p - 1)));
    return Math.max(0, Math.min(Math.nextDown(1.0), mu + s * z));
  }

  private static double phi(double z) {
    return 0.5 * (1 + Erf.erf(z / Math.sqrt(2)));
  }
}
