package io.hps.scenario;

import io.hps.protocol.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How busy a study's workers were: the wall-clock span from the first claim to the last result, and
 * the summed trial time. Busy time over (workers x span) is how busy the workers were; the span of a
 * one-worker run of the same settings over this span is the measured speed-up, and the speed-up over the
 * number of workers the parallel efficiency. An interrupted and
 * resumed study counts its pause in the span.
 */
public record Parallelism(int workers, int trials, double spanSeconds, double busySeconds) {
  public static Parallelism of(List<Result> results) {
    List<Result> timed = results.stream().filter(r -> r.claimed() != null).toList();
    if (timed.isEmpty()) {
      return new Parallelism(0, 0, 0, 0);
    }
    Instant first = timed.stream().map(Result::claimed).min(Instant::compareTo).orElseThrow();
    Instant last = timed.stream().map(Result::finished).max(Instant::compareTo).orElseThrow();
    double busy = timed.stream().mapToDouble(r -> seconds(Duration.between(r.claimed(), r.finished()))).sum();
    int workers = (int) timed.stream().map(Result::worker).distinct().count();
    return new Parallelism(workers, timed.size(), seconds(Duration.between(first, last)), busy);
  }

  /** Busy time over the time the workers were there for; 1 when they never waited. */
  public double busyFraction() {
    return spanSeconds > 0 && workers > 0 ? busySeconds / (workers * spanSeconds) : 0;
  }

  /** The speed-up of this run over {@code serial}, from their spans. */
  public double speedUpOver(Parallelism serial) {
    return spanSeconds > 0 ? serial.spanSeconds / spanSeconds : 0;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
