package io.hps.plot;

import io.hps.protocol.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which worker ran which setting when: one lane per worker (in the order they first claimed), one bar per
 * trial from its claim to its result, seconds from the study's first claim. Results without a claim time
 * (failed by the master) are left out.
 */
public final class Timeline {
  private Timeline() {}

  public static Figure of(List<Result> results) {
    List<Result> trials = results.stream().filter(r -> r.claimed() != null)
        .sorted(Comparator.comparing(Result::claimed)).toList();
    List<String> workers = trials.stream().map(Result::worker).distinct().toList();
    Instant start = trials.isEmpty() ? Instant.EPOCH : trials.get(0).claimed();
    List<Series> series = new ArrayList<>();
    for (Result r : trials) {
      int lane = workers.indexOf(r.worker());
      double y = lane + 1;
      series.add(new Series("worker " + (lane + 1) + ": " + r.worker(), lane,
          new double[] {seconds(start, r.claimed()), seconds(start, r.finished())}, new double[] {y, y}, false));
    }
    return new Figure("timeline", "Which worker ran which setting when (" + trials.size() + " trials, "
        + workers.size() + " workers)", "seconds since the first claim", "worker", false, false,
        Figure.Kind.TIMELINE, series);
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
