package io.hps.scenario;

import io.hps.json.Json;
import io.hps.protocol.Strategy;
import io.hps.space.SearchSpace;
import io.hps.space.SpaceException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One scenario of the course exercise: its search space (search-spaces/scenarioN.json, built into the
 * jar), how it is searched, which learning curves and analyses its report holds, and what {@code --quick}
 * changes: fewer examples, epochs and settings through the same code paths.
 */
public enum Scenario {
  LEARNING_RATE(1, "Learning rate of SGD", Strategy.GRID, 3, null, 2, null, 1,
      List.of("train-loss-vs-epoch", "val-loss-vs-epoch", "val-error-vs-epoch"), EnumSet.noneOf(Analysis.class)),
  BATCH_SIZE(2, "Batch size", Strategy.GRID, 1, null, 1, null, 1,
      List.of("train-loss-vs-epoch", "train-loss-vs-time"), EnumSet.noneOf(Analysis.class)),
  MOMENTUM(3, "SGD with momentum", Strategy.GRID, 1, null, 1, null, 1,
      List.of("train-loss-vs-epoch"), EnumSet.noneOf(Analysis.class)),
  FILTERS(4, "Number of filters", Strategy.GRID, 1, null, 1, null, 1,
      List.of("train-loss-vs-epoch", "train-loss-vs-time", "val-error-vs-time"), EnumSet.noneOf(Analysis.class)),
  RANDOM_SEARCH(5, "Random search", Strategy.RANDOM, 1, 100, 1, 20, 1,
      List.of("val-error-vs-epoch"), EnumSet.of(Analysis.SIMULATED_SEARCH, Analysis.COORDINATES, Analysis.BEST)),
  PARALLEL(6, "Parallel evaluations", Strategy.RANDOM, 1, 20, 1, 8, 2,
      List.of("val-error-vs-epoch"), EnumSet.of(Analysis.TIMELINE, Analysis.SPEED_UP, Analysis.BEST));

  /** What a scenario's report holds beyond learning curves. */
  public enum Analysis {
    /** Reshuffled random-search curves (best validation error so far against evaluations). */
    SIMULATED_SEARCH,
    /** Final validation error against each hyperparameter. */
    COORDINATES,
    /** The best settings, as a table. */
    BEST,
    /** Which worker ran which setting when. */
    TIMELINE,
    /** The same search with one worker, and the speed-up over it. */
    SPEED_UP
  }

  /** {@code --quick}: small data and few epochs (scenario 4 keeps every NF, so it takes fewer examples). */
  private static final List<String> QUICK = List.of("epochs=3", "trainSize=1000", "valSize=1000");
  private static final List<String> QUICK_FILTERS = List.of("epochs=3", "trainSize=500", "valSize=500");

  private final int number;
  private final String title;
  private final Strategy strategy;
  private final int repeats;
  private final Integer trials;
  private final int quickRepeats;
  private final Integer quickTrials;
  private final int workers;
  private final List<String> curves;
  private final Set<Analysis> analyses;

  Scenario(int number, String title, Strategy strategy, int repeats, Integer trials, int quickRepeats,
      Integer quickTrials, int workers, List<String> curves, Set<Analysis> analyses) {
    this.number = number;
    this.title = title;
    this.strategy = strategy;
    this.repeats = repeats;
    this.trials = trials;
    this.quickRepeats = quickRepeats;
    this.quickTrials = quickTrials;
    this.workers = workers;
    this.curves = curves;
    this.analyses = analyses;
  }

  /** Scenario {@code n} (1 to 6). */
  public static Scenario number(int n) {
    return Arrays.stream(values()).filter(s -> s.number == n).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("there are scenarios 1 to 6, not " + n));
  }

  public int number() {
    return number;
  }

  public String title() {
    return title;
  }

  public Strategy strategy() {
    return strategy;
  }

  public int repeats(boolean quick) {
    return quick ? quickRepeats : repeats;
  }

  /** Points to try; {@code null} for the whole grid. */
  public Integer trials(boolean quick) {
    return quick ? quickTrials : trials;
  }

  /** The default number of local workers. */
  public int workers() {
    return workers;
  }

  /** The {@code --set} assignments that {@code --quick} applies (before the user's own). */
  public List<String> quickSets() {
    return this == FILTERS ? QUICK_FILTERS : QUICK;
  }

  /** Names of the learning-curve figures the exercise asks for (see {@link io.hps.plot.LearningCurves}). */
  public List<String> curves() {
    return curves;
  }

  public boolean has(Analysis analysis) {
    return analyses.contains(analysis);
  }

  /** The name of the space file, {@code scenarioN.json}. */
  public String spaceFile() {
    return "scenario" + number + ".json";
  }

  /** The built-in search space (a copy of search-spaces/scenarioN.json). */
  public SearchSpace space() {
    String resource = "/search-spaces/" + spaceFile();
    try (InputStream in = Scenario.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new SpaceException(resource + " is missing from the build; rebuild with ./mvnw package");
      }
      return SearchSpace.parse(Json.MAPPER.readTree(in), "search-spaces/" + spaceFile() + " (built in)");
    } catch (IOException e) {
      throw new SpaceException(resource + ": " + e.getMessage());
    }
  }
}
