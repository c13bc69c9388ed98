package io.hps.strategy;

import io.hps.protocol.Result;
import io.hps.space.Params;
import io.hps.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Independent uniform points of the unit cube, decoded by the space. Point {@code i} depends only on
 * the seed and {@code i}, never on results, timing or the number of workers.
 */
final class RandomSearch implements SearchStrategy {
  private final SearchSpace space;
  private final long seed;

  RandomSearch(SearchSpace space, long seed) {
    this.space = space;
    this.seed = seed;
  }

  @Override
  public List<Proposal> propose(int proposed, List<Result> results, int count) {
    List<Proposal> points = new ArrayList<>(count);
    for (int i = proposed; i < proposed + count; i++) {
      points.add(Proposal.of(point(i), "random search: point " + i + " of the seed's stream, drawn uniformly, whatever"
          + " the results"));
    }
    return points;
  }

  int dimensions() {
    return space.dimensions();
  }

  /** Point {@code index} of the sequence. */
  Params point(int index) {
    return space.decode(unitPoint(index));
  }

  double[] unitPoint(int index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    double[] u = new double[space.dimensions()];
    for (int d = 0; d < u.length; d++) {
      u[d] = random.nextDouble();
    }
    return u;
  }
}
