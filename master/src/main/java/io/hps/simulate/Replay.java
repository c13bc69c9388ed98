package io.hps.simulate;

import io.hps.protocol.Mode;
import io.hps.protocol.Stopping;
import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.stopping.StoppingRules;
import io.hps.strategy.SearchStrategy;
import io.hps.strategy.Strategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * A strategy and a stopping rule replayed over recorded learning curves: the real master proposes
 * settings, and simulated workers answer each with the nearest recorded curve (up to the epochs the
 * setting asks for), each epoch taking its recorded time (see {@link Simulation}). Counts every epoch
 * trained (a promoted setting is trained again from scratch, as the live trainers do) and tracks the best
 * final validation error among settings trained for the full budget.
 *
 * @param method what was replayed, for tables
 * @param epochs epochs trained in all
 * @param seconds recorded seconds of those epochs (training time, summed over workers)
 * @param wallSeconds simulated wall-clock time from the first proposal to the last result
 * @param best best final validation error of a setting trained for the whole budget that keeps the study's
 *     constraints (NaN when none)
 * @param trace triples (epochs so far, the incumbent's final error, wall-clock seconds) each time the
 *     incumbent changes: the best result of the largest budget seen so far, scored by its curve's error
 *     at the full budget (for a method that trains every setting fully: the best final error so far)
 * @param lost attempts lost with their worker (see {@link Setup#workerFailures}), each trained again
 * @param values each accepted result's objective values (as the metrics read; null where it lacks one), in the
 *     order the master accepted them
 * @param valuesAt for each of {@code values}, the epochs trained in all when its result was published
 * @param feasible for each of {@code values}, whether its result keeps the study's constraints
 */
public record Replay(String method, long epochs, double seconds, double wallSeconds, double best,
    List<double[]> trace, int lost, List<double[]> values, long[] valuesAt, boolean[] feasible) {
  /**
   * How a replay runs.
   *
   * @param trials settings for random search, first-rung settings for the halving strategies
   * @param eta halving factor (null: the strategy's default)
   * @param minEpochs first-rung epochs (null: the strategy's default)
   * @param workers simulated workers
   * @param batch settings per synchronous batch, or in flight in asynchronous mode
   * @param mode {@code sync} or {@code async}
   * @param workerFailures the chance that a setting's worker dies before the setting is done (after a random
   *     number of its epochs): its claim is then silent, the master requeues it when the study's lease
   *     expires, and another attempt trains it again, as in a real study
   */
  public record Setup(int trials, Integer eta, Integer minEpochs, int workers, int batch, Mode mode,
      boolean continuePromoted, double workerFailures, io.hps.master.StudyRequest.Aims aims) {
    public Setup {
      aims = aims == null ? io.hps.master.StudyRequest.Aims.NONE : aims;
      if (trials < 1 || workers < 1 || batch < 1) {
        throw new IllegalArgumentException("trials, workers and batch must be at least 1");
      }
      if (!(workerFailures >= 0 && workerFailures < 1)) {
        throw new IllegalArgumentException("worker failures is a chance per setting: at least 0, below 1, not "
            + workerFailures);
      }
      java.util.Objects.requireNonNull(mode, "mode");
    }

    /** One worker, one setting at a time. */
    public static Setup of(int trials) {
      return new Setup(trials, null, null, 1, 1, Mode.SYNC, false, 0, null);
    }

    public Setup halving(Integer halvingEta, Integer firstRungEpochs) {
      return new Setup(trials, halvingEta, firstRungEpochs, workers, batch, mode, continuePromoted, workerFailures,
          aims);
    }

    /** {@code count} workers, with synchronous batches of as many settings (as {@code hps run} does). */
    public Setup workers(int count) {
      return new Setup(trials, eta, minEpochs, count, count, mode, continuePromoted, workerFailures, aims);
    }

    public Setup batch(int size, Mode batchMode) {
      return new Setup(trials, eta, minEpochs, workers, size, batchMode, continuePromoted, workerFailures, aims);
    }

    /** Promoted settings continue from their parent's epochs, as a trainer with checkpoints would. */
    public Setup continuing(boolean yes) {
      return new Setup(trials, eta, minEpochs, workers, batch, mode, yes, workerFailures, aims);
    }

    /** What the replayed study optimises. */
    public Setup aiming(io.hps.master.StudyRequest.Aims goals) {
      return new Setup(trials, eta, minEpochs, workers, batch, mode, continuePromoted, workerFailures, goals);
    }

    /** Each setting's worker dies before it is done with chance {@code p}. */
    public Setup failing(double p) {
      return new Setup(trials, eta, minEpochs, workers, batch, mode, continuePromoted, p, aims);
    }
  }

  /** The metrics replayed results hold: curves give the validation error and each epoch's time only. */
  public static final java.util.List<String> METRICS = java.util.List.of("valError", "trainSeconds", "elapsedSeconds");

  /** Replays {@code strategy} (with {@code stop}, or none) for one seed. */
  public static Replay run(Curves recorded, Strategy strategy, Stopping stop, long seed, Setup setup) {
    StudyConfig config = StudyConfig.builder(recorded.space().toJson(), strategy).name("replay").created(Instant.EPOCH)
        .seed(seed).trials(setup.trials()).batch(setup.batch(), setup.mode()).halving(setup.eta(), setup.minEpochs())
        .stop(stop, null).checkpoints(setup.continuePromoted() && strategy.halving())
        .objectives(setup.aims().objectives(), setup.aims().constraints()).build();
    SearchStrategy search = Strategies.create(strategy, recorded.space(), config);
    Simulation.Outcome outcome;
    try {
      outcome = new Simulation(recorded, config, search, stop == null ? null : StoppingRules.create(stop),
          setup.workers(), setup.workerFailures()).run();
    } catch (IOException e) {
      // the in-memory queue does no I/O: what ends a simulation is the master's own refusal
      throw new UncheckedIOException(e.getMessage(), e);
    }
    String method = strategy.json() + (stop == null ? "" : " + " + stop.json() + " stopping");
    io.hps.goals.Goals goals = io.hps.goals.Goals.of(config);
    List<double[]> values = outcome.results().stream().map(r -> goals.shown(r).orElse(null)).toList();
    boolean[] feasible = new boolean[values.size()];
    for (int i = 0; i < feasible.length; i++) {
      feasible[i] = goals.feasible(outcome.results().get(i));
    }
    return new Replay(method, outcome.epochs(), outcome.trainingSeconds(), outcome.wallSeconds(), outcome.best(),
        outcome.trace(), outcome.lost(), values, outcome.epochsAt(), feasible);
  }

  /**
   * The objective values of the feasible results published once {@code budget} epochs were spent (results without
   * a value or breaking a constraint left out).
   */
  public List<double[]> valuesAfter(double budget) {
    List<double[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (valuesAt[i] <= budget && values.get(i) != null && feasible[i]) {
        out.add(values.get(i));
      }
    }
    return out;
  }

  /** Whether a seed had any result by {@code budget} epochs, feasible or not. */
  public boolean anyAfter(double budget) {
    return valuesAt.length > 0 && valuesAt[0] <= budget;
  }

  /** The incumbent's final error once {@code budget} epochs were spent (NaN before the first result). */
  public double bestAfter(double budget) {
    double value = Double.NaN;
    for (double[] point : trace) {
      if (point[0] <= budget) {
        value = point[1];
      }
    }
    return value;
  }
}
