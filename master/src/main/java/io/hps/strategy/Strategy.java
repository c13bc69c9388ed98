package io.hps.strategy;

import io.hps.protocol.StudyConfig;
import io.hps.space.Condition;
import io.hps.space.Fixed;
import io.hps.space.Parameter;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import java.util.Locale;

/** The strategies a study can name in {@code --strategy} and {@code study.json}. */
public enum Strategy {
  GRID("grid"), RANDOM("random"), SUCCESSIVE_HALVING("successive-halving"), HYPERBAND("hyperband");

  private final String json;

  Strategy(String json) {
    this.json = json;
  }

  /** Builds a grid or random strategy for a space and seed. */
  public SearchStrategy create(SearchSpace space, long seed) {
    switch (this) {
      case GRID:
        return new GridSearch(space);
      case RANDOM:
        return new RandomSearch(space, seed);
      default:
        throw new IllegalArgumentException(json + " needs the study's configuration: use create(space, config)");
    }
  }

  /** Builds the strategy of a study. */
  public SearchStrategy create(SearchSpace space, StudyConfig config) {
    switch (this) {
      case SUCCESSIVE_HALVING:
      case HYPERBAND:
        return new HalvingSearch(space, config.seed(), schedule(space, config.trials(), config), this == HYPERBAND);
      default:
        return create(space, config.seed());
    }
  }

  /**
   * The halving schedule of a study: {@code trials} first-rung settings (successive halving), or as many
   * Hyperband iterations as draw at least {@code trials} settings.
   */
  public Halving schedule(SearchSpace space, int trials, StudyConfig config) {
    int eta = config.eta() == null ? 3 : config.eta();
    int min = config.minEpochs() == null ? 1 : config.minEpochs();
    int max = maxEpochs(space);
    return this == HYPERBAND ? Halving.hyperband(trials, min, max, eta) : Halving.successive(trials, min, max, eta);
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

  /** Whether the strategy spends a budget in rungs (successive halving, Hyperband). */
  public boolean halving() {
    return this == SUCCESSIVE_HALVING || this == HYPERBAND;
  }

  /** The name used in files and on the command line. */
  public String json() {
    return json;
  }

  public static Strategy parse(String text) {
    for (Strategy s : values()) {
      if (s.json.equals(text.toLowerCase(Locale.ROOT)) || s.name().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown strategy '" + text + "' (grid, random, successive-halving, hyperband)");
  }
}
