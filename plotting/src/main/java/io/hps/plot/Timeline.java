package io.hps.plot;

import io.hps.protocol.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which worker ran which setting when: one lane per worker, named by its id and in the order of the ids
 * (so `hps run`'s w1, w2, ... are lanes 1, 2, ...), one bar per trial from its claim to its result,
 * labelled with the setting's id, seconds from the study's first claim. Results without a claim time
 * (failed by the master) are left out.
 */
public final class Timeline {
  private Timeline() {}

  public static Figure of(List<Result> results) {
    List<Result> trials = results.stream().filter(r -> r.claimed() != null)
        .sorted(Comparator.comparing(Result::claimed)).toList();
    List<String> workers = trials.stream().map(Result::worker).distinct().sorted(Timeline::natural).toList();
    Instant start = trials.isEmpty() ? Instant.EPOCH : trials.get(0).claimed();
    List<Series> series = new ArrayList<>();
    for (Result r : trials) {
      int lane = workers.indexOf(r.worker());
      double y = lane + 1;
      series.add(new Series(r.worker(), lane, 0, new double[] {seconds(start, r.claimed()), seconds(start,
          r.finished())}, new double[] {y, y}, false, false, r.id()));
    }
    return new Figure("timeline", "Which worker ran which setting when (" + trials.size() + " trials, "
        + workers.size() + " workers)", "seconds since the first claim", "worker", false, false,
        Figure.Kind.TIMELINE, series);
  }

  /** Orders w2 before w10: runs of digits compare as numbers, the rest as text. */
  static int natural(String a, String b) {
    java.util.regex.Matcher x = TOKEN.matcher(a);
    java.util.regex.Matcher y = TOKEN.matcher(b);
    while (x.find() && y.find()) {
      String s = x.group();
      String t = y.group();
      int c = Character.isDigit(s.charAt(0)) && Character.isDigit(t.charAt(0))
          ? new java.math.BigInteger(s).compareTo(new java.math.BigInteger(t)) : s.compareTo(t);
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }

  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("\\d+|\\D+");

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
