package io.hps.cli;

import io.hps.json.Json;
import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Setting;
import io.hps.protocol.Status;
import io.hps.protocol.Strategy;
import io.hps.simulate.Recorded;
import io.hps.simulate.Replay;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import io.hps.strategy.SearchStrategy;
import io.hps.strategy.Strategies;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hps bench-scale}: what the master's work costs as a study grows. Per study size: the time of one
 * proposal against that many results (random, TPE), and the real master over simulated workers (the replay
 * simulator) for that many settings (random, ASHA, BOHB), with the growth exponent between sizes.
 */
@Command(name = "bench-scale", header = "Measure how the master's costs grow with the study.",
    mixinStandardHelpOptions = true,
    description = {"Measures how the master's costs grow with a study's size, on synthetic zero-cost curves:",
        "  proposal   one proposal of random search and TPE given N finished results, one more accepted before",
        "             each, handed over as a master's ledger does (median of 5, after 3 to warm up): a",
        "             strategy's cost against the number of results;",
        "  replay     the real master with one simulated worker over an in-memory queue (the replay simulator)",
        "             for N settings of random search, or N first-rung settings of ASHA and BOHB (3 epochs",
        "             at most): look, accept, propose and write each batch's provenance, per setting;",
        "and the growth exponent of the total time between consecutive sizes (1: linear; 2: quadratic; for a",
        "proposal, of N proposals' time: 1 when one proposal costs the same at every size);",
        "  claims     N worker threads, each a worker with its own claim folder, claim and publish zero-cost",
        "             settings on --dir's disk: settings per second, and against the first N.",
        "hps status and the dashboard on large studies: see README, Scaling."})
final class BenchScaleCommand implements Callable<Integer> {

  @Option(names = "--sizes", split = ",", defaultValue = "1000,10000,100000",
      description = "Study sizes, in settings (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--replay", split = ",", defaultValue = "random,asha,bohb", description = {"Strategies replayed at",
      "each size (default: ${DEFAULT-VALUE}; none: --replay=; tpe takes a model-based proposal per setting, about",
      "40 s at 10,000 here; successive-halving and hyperband too; not grid)."})
  List<String> replayed;

  @Option(names = "--halving-max", paramLabel = "N", defaultValue = "10000", description = {
      "Largest size the halving strategies (ASHA, BOHB, ...) are replayed at (default: ${DEFAULT-VALUE}): at 100,000",
      "ASHA takes about half a minute here, BOHB about 7 minutes (a TPE model per first-rung configuration;",
      "README, Scaling)."})
  int halvingMax;

  @Option(names = "--claimers", split = ",", defaultValue = "16,64,256,1000", paramLabel = "N", description = {
      "Worker counts for the claim throughput (default: ${DEFAULT-VALUE}; none: --claimers=): N threads, each a",
      "worker of its own, claim and publish max(4000, 4 N) zero-cost settings in a study on --dir's disk."})
  List<String> claimerCounts;

  @Option(names = "--dir", paramLabel = "DIR", description = {"Where the claim studies go (default: a temporary",
      "directory); each is removed after its run."})
  java.nio.file.Path dir;

  /** The largest size: its results are kept in memory (100,000 take about 300 MB). */
  static final int MOST = 500_000;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 20 || n > MOST)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--sizes: each at least 20 and at most "
          + MOST + " (the results are kept in memory), not " + sizes);
    }
    for (int i = 1; i < sizes.size(); i++) {
      if (sizes.get(i) <= sizes.get(i - 1)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--sizes: from smallest to largest, each"
            + " once (the growth is between consecutive sizes), not " + sizes);
      }
    }
    List<Integer> claimers = new ArrayList<>();
    for (String c : claimerCounts) {
      if (c.isBlank()) {
        continue;
      }
      int n;
      try {
        n = Integer.parseInt(c.trim());
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > 10_000) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--claimers: worker counts from 1 to"
            + " 10000 (threads of this JVM), not '" + c + "'");
      }
      claimers.add(n);
    }
    if (halvingMax < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--halving-max: a size, 0 or more, not "
          + halvingMax);
    }
    java.util.Set<Strategy> strategies = new java.util.LinkedHashSet<>();
    for (String s : replayed) {
      if (s.isBlank()) {
        continue;
      }
      String scaled = "random, tpe, asha, bohb, nsga2, successive-halving or hyperband";
      try {
        strategies.add(Strategy.parse(s.trim()));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--replay: unknown strategy '"
            + s.trim() + "': give " + scaled);
      }
      if (strategies.contains(Strategy.GRID)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--replay: grid search has no size to"
            + " scale (its grid decides); give " + scaled);
      }
    }
    java.nio.file.Path claimsBase = null;
    if (!claimers.isEmpty()) { // the folder first: a bad --dir is said before minutes of other rows
      try {
        claimsBase = dir != null ? java.nio.file.Files.createDirectories(dir)
            : java.nio.file.Files.createTempDirectory("hps-bench-scale");
      } catch (java.io.IOException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dir: cannot make a folder "
            + (dir == null ? "in the temporary directory" : dir.toString()) + " (" + e + ")");
      }
    }
    SearchSpace space = SearchSpace.parse(Json.MAPPER.readTree(BenchCommand.SPACE), "bench-scale space")
        .withSet("epochs=3");
    Recorded curves = curves(space);
    out.printf(Locale.ROOT, "bench-scale: %d cores, max heap %d MB; synthetic curves (%d recorded runs, 3 epochs)%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, curves.runs().size());
    out.printf(Locale.ROOT, "%-9s %-34s %10s %14s %8s%n", "size", "what", "total s", "per item", "growth");
    for (Strategy strategy : List.of(Strategy.RANDOM, Strategy.TPE)) {
      double before = Double.NaN;
      int previous = 0;
      for (int n : sizes) {
        double ms = proposalMillis(strategy, space, n);
        out.printf(Locale.ROOT, "%-9d %-34s %10s %11.1f us %8s%n", n, "proposal, " + strategy.json(), "-", ms * 1000,
            growth(before, ms, previous, n, 0));
        out.flush();
        before = ms;
        previous = n;
      }
    }
    for (Strategy strategy : strategies) {
      double before = Double.NaN;
      int previous = 0;
      for (int n : sizes) {
        if (strategy.halving() && n > halvingMax) {
          out.printf(Locale.ROOT, "%-9d %-34s %10s %14s %8s%n", n, "replay, " + strategy.json(), "skipped", "(--halving-max)",
              "");
          continue;
        }
        long start = System.nanoTime();
        Replay replay = Replay.run(curves, strategy, null, 1, Replay.Setup.of(n).continuing(strategy.halving()));
        double seconds = (System.nanoTime() - start) / 1e9;
        int settings = replay.values().size();
        out.printf(Locale.ROOT, "%-9d %-34s %10.2f %11.1f us %8s%n", n, "replay, " + strategy.json() + " ("
            + settings + " settings)", seconds, seconds * 1e6 / settings, growth(before, seconds, previous, n, 1));
        out.flush();
        before = seconds;
        previous = n;
      }
    }
    if (claimsBase != null) {
      claims(claimers, claimsBase, out);
      if (dir == null) {
        java.nio.file.Files.deleteIfExists(claimsBase); // its studies are removed after each run
      }
    }
    return 0;
  }

  /** Claim and publish throughput with each number of workers, and its ratio to the first. */
  private void claims(List<Integer> claimers, java.nio.file.Path base, PrintWriter out) throws Exception {
    out.printf(Locale.ROOT, "claims on %s (%s): worker threads, each with a claim folder of its own%n", base,
        io.hps.doctor.FilesystemDoctor.describe(base));
    double first = Double.NaN;
    for (int workers : claimers) {
      java.nio.file.Path study = base.resolve("claims-" + workers);
      ClaimBench.Run run = ClaimBench.run(study, workers, Math.max(4000, 4 * workers));
      if (Double.isNaN(first)) {
        first = run.perSecond();
      }
      out.printf(Locale.ROOT, "%-9d %-34s %10.2f %9.0f /s %8s%n", run.settings(), "claim+publish, " + workers
          + (workers == 1 ? " worker" : " workers"), run.seconds(), run.perSecond(), String.format(Locale.ROOT, "x%.2f", run.perSecond() / first));
      out.flush();
      try (var files = java.nio.file.Files.walk(study)) {
        for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * The exponent {@code e} with {@code now / before = (n / previous)^e}, for a per-item cost ({@code perItem} 0)
   * or a total (1): a per-item cost that stays flat is a total that grows with exponent 1.
   */
  private static String growth(double before, double now, int previous, int n, int perItem) {
    if (Double.isNaN(before) || before <= 0 || n == previous) {
      return "";
    }
    double e = Math.log(now / before) / Math.log((double) n / previous) + (1 - perItem);
    return String.format(Locale.ROOT, "%.2f", e);
  }

  /**
   * One proposal's time, given {@code n} finished results: the median of 5 after 3 to warm up, one more result
   * accepted before each, handed over as a master's ledger does (a {@link GrowingList}).
   */
  private static double proposalMillis(Strategy strategy, SearchSpace space, int n) {
    SearchStrategy search = Strategies.create(strategy, space, 1);
    List<Result> all = results(space, n + 8);
    io.hps.strategy.GrowingList results = new io.hps.strategy.GrowingList();
    all.subList(0, n).forEach(results::accept);
    double[] ms = new double[8];
    for (int i = 0; i < ms.length; i++) {
      results.accept(all.get(n + i));
      long start = System.nanoTime();
      search.propose(n + i, results, List.of(), 1);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    double[] measured = Arrays.copyOfRange(ms, 3, ms.length);
    Arrays.sort(measured);
    return measured[measured.length / 2];
  }

  /** {@code n} finished results at random points, in point order, each with a smooth synthetic error. */
  private static List<Result> results(SearchSpace space, int n) {
    SplittableRandom random = new SplittableRandom(7);
    List<Result> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] u = point(random, space.dimensions());
      Params params = space.decode(u);
      double error = error(u, 3);
      Setting s = new Setting(io.hps.protocol.Ids.setting(i), i, 0, i, Instant.EPOCH, params);
      out.add(Result.of(s, Status.COMPLETE, null, "w", Instant.EPOCH, Instant.EPOCH,
          List.of(new Epoch(1, error, error, error, 1)), Map.of()));
    }
    return out;
  }

  /** A learning curve's error after {@code epoch} epochs at unit point {@code u}: lowest near (0.3, 0.6, ...). */
  private static double error(double[] u, int epoch) {
    double d = 0;
    for (int j = 0; j < u.length; j++) {
      double c = j % 2 == 0 ? 0.3 : 0.6;
      d += (u[j] - c) * (u[j] - c);
    }
    return 0.02 + d / (1 + epoch);
  }

  private static double[] point(SplittableRandom random, int dimensions) {
    double[] u = new double[dimensions];
    for (int j = 0; j < u.length; j++) {
      u[j] = random.nextDouble();
    }
    return u;
  }

  /** 400 recorded runs of 3 epochs at random points: the curves replays answer with (nearest one). */
  private static Recorded curves(SearchSpace space) {
    SplittableRandom random = new SplittableRandom(11);
    List<Recorded.Run> runs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double[] u = point(random, space.dimensions());
      double[] errors = new double[3];
      double[] seconds = new double[3];
      for (int e = 0; e < 3; e++) {
        errors[e] = error(u, e + 1);
        seconds[e] = e + 1;
      }
      runs.add(new Recorded.Run("r" + i, space.decode(u), errors, seconds));
    }
    return new Recorded(space, runs);
  }
}
