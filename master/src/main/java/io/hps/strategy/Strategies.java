package io.hps.strategy;

import io.hps.protocol.Strategy;
import io.hps.protocol.StudyConfig;
import io.hps.space.Condition;
import io.hps.space.Fixed;
import io.hps.space.Parameter;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;

/** Builds the {@link SearchStrategy} a study's {@link Strategy} names. */
public final class Strategies {
  private Strategies() {}

  /** Builds a grid or random strategy for a space and seed. */
  public static SearchStrategy create(Strategy strategy, SearchSpace space, long seed) {
    switch (strategy) {
      case GRID:
        return new GridSearch(space);
      case RANDOM:
        return new RandomSearch(space, seed);
      case TPE:
        return new TpeSearch(space, seed);
      default:
        throw new IllegalArgumentException(strategy.json() + " needs the study's configuration: use create(strategy,"
            + " space, config)");
    }
  }

  /** Builds the strategy of a study. */
  public static SearchStrategy create(Strategy strategy, SearchSpace space, StudyConfig config) {
    switch (strategy) {
      case SUCCESSIVE_HALVING:
      case HYPERBAND:
        return new HalvingSearch(space, config.seed(), schedule(strategy, space, config.trials(), config),
            strategy == Strategy.HYPERBAND, false, io.hps.goals.Goals.of(config));
      case BOHB:
        return new HalvingSearch(space, config.seed(), schedule(strategy, space, config.trials(), config), true,
            true, io.hps.goals.Goals.of(config));
      case TPE:
        return new TpeSearch(space, config.seed(), TpeSearch.STARTUP, io.hps.goals.Goals.of(config));
      case NSGA2:
        return new NsgaSearch(space, config.seed(), NsgaSearch.POPULATION, io.hps.goals.Goals.of(config));
      case ASHA:
        return new AshaSearch(space, config.seed(), config.trials(), config.minEpochs() == null ? 1
            : config.minEpochs(), maxEpochs(space), config.eta() == null ? 3 : config.eta(), io.hps.goals.Goals.of(config));
      default:
        return create(strategy, space, config.seed());
    }
  }

  /**
   * The halving schedule of a study: {@code trials} first-rung settings (successive halving), or as many
   * Hyperband iterations as draw at least {@code trials} settings.
   */
  public static Halving schedule(Strategy strategy, SearchSpace space, int trials, StudyConfig config) {
    int eta = config.eta() == null ? 3 : config.eta();
    int min = config.minEpochs() == null ? 1 : config.minEpochs();
    int max = maxEpochs(space);
    return strategy == Strategy.HYPERBAND || strategy == Strategy.BOHB ? Halving.hyperband(trials, min, max, eta) : Halving.successive(trials, min, max, eta);
  }

  /** The budget of a halving study: the space's fixed {@code epochs}. */
  static int maxEpochs(SearchSpace space) {
    for (Parameter p : space.parameters()) {
      if (p.name().equals("epochs")) {
        if (p instanceof Fixed f && f.value() instanceof Number n && (f.when() == null || f.when().equals(Condition.ALWAYS))) {
          return n.intValue();
        }
        break;
      }
    }
    throw new SpaceException(space.name() + ": successive halving and Hyperband need a fixed 'epochs' (the"
        + " largest budget); the space has none, or a range");
  }
}
