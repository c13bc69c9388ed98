package io.hps.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The log of a long-running process (master, worker): every line starts with the UTC time to the second,
 * {@code 2026-12-02T15:40:01Z master: batch 3: ...}, so that logs of several hosts can be read side by side.
 */
final class TimestampedLog extends FilterWriter {
  private final Clock clock;
  private boolean lineStart = true;

  private TimestampedLog(Writer out, Clock clock) {
    super(out);
    this.clock = clock;
  }

  /** {@code out}, with a time at the start of each line; flushed at each line end. */
  static PrintWriter of(PrintWriter out, Clock clock) {
    return new PrintWriter(new TimestampedLog(out, clock), true);
  }

  @Override
  public synchronized void write(int c) throws IOException {
    stamp();
    out.write(c);
    lineStart = c == '\n';
  }

  @Override
  public synchronized void write(char[] buffer, int offset, int length) throws IOException {
    write(new String(buffer, offset, length), 0, length);
  }

  @Override
  public synchronized void write(String text, int offset, int length) throws IOException {
    int end = offset + length;
    int from = offset;
    while (from < end) {
      stamp();
      int newline = text.indexOf('\n', from);
      int to = newline < 0 || newline >= end ? end : newline + 1;
      out.write(text, from, to - from);
      lineStart = to > from && text.charAt(to - 1) == '\n';
      from = to;
    }
  }

  private void stamp() throws IOException {
    if (lineStart) {
      out.write(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)) + " ");
      lineStart = false;
    }
  }
}
