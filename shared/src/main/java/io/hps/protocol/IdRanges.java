package io.hps.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Setting ids written compactly: {@code "s000000-s000015,s000018"} for s000000 to s000015 and s000018.
 * Ids of the master's form ({@code s} and a number, see {@link Ids#setting}) in runs of consecutive
 * numbers become one range; any other id is written as it is. Order is kept: a decoded list is the encoded
 * one.
 */
public final class IdRanges {
  private static final Pattern RANGE = Pattern.compile("(s\\d{6,9})-(s\\d{6,9})");

  private IdRanges() {}

  /** {@code ids} as ranges, in their order; "" when there are none. */
  public static String encode(Collection<String> ids) {
    StringBuilder out = new StringBuilder();
    int start = -1;
    int last = -1;
    for (String id : ids) {
      int n = number(id);
      if (n >= 0 && start >= 0 && n == last + 1) {
        last = n;
        continue;
      }
      flush(out, start, last);
      start = -1;
      if (n >= 0) {
        start = n;
        last = n;
      } else {
        separate(out).append(Ids.check("setting id", id));
      }
    }
    flush(out, start, last);
    return out.toString();
  }

  /**
   * What {@link #encode} writes for the ids of the master's form whose numbers are the runs {@code runs} (first
   * to last number, ascending, neither touching nor overlapping), without a list of the ids: a master keeps
   * the runs of the results it accepted and records them at each proposal.
   */
  public static String ofRuns(java.util.SortedMap<Integer, Integer> runs) {
    StringBuilder out = new StringBuilder();
    runs.forEach((first, last) -> flush(out, first, last));
    return out.toString();
  }

  /** The ids that {@link #encode} wrote, in order; a malformed text is an {@link IllegalArgumentException}. */
  public static List<String> decode(String text) {
    List<String> ids = new ArrayList<>();
    parse(text, (from, to) -> {
      for (int n = from; n <= to; n++) {
        ids.add(Ids.setting(n));
      }
    }, ids::add);
    return ids;
  }

  /**
   * Checks that {@code text} is what {@link #encode} writes, without expanding its ranges (a batch of a
   * 10,000-setting study lists 10,000 ids in a few ranges, and every reader of batches checks them); an
   * {@link IllegalArgumentException} says what is wrong.
   */
  public static void check(String text) {
    parse(text, (from, to) -> { }, id -> { });
  }

  private interface RangeSink {
    void range(int from, int to);
  }

  private static void parse(String text, RangeSink ranges, java.util.function.Consumer<String> single) {
    if (text == null || text.isEmpty()) {
      return;
    }
    for (String part : text.split(",", -1)) {
      Matcher range = RANGE.matcher(part);
      if (range.matches()) {
        int from = number(range.group(1));
        int to = number(range.group(2));
        if (from < 0 || to < 0) {
          throw new IllegalArgumentException("id range '" + part + "' is not of two master ids (s000017)");
        }
        if (to <= from) {
          throw new IllegalArgumentException("id range '" + part + "' does not go up");
        }
        ranges.range(from, to);
      } else {
        single.accept(Ids.check("setting id", part));
      }
    }
  }

  /**
   * The number of a master's setting id, whose text {@link Ids#setting} gives back (s and at least six digits, no
   * extra leading zero); -1 for any other id. Without regular expressions or formatting: the master encodes
   * every seen id at each proposal.
   */
  public static int number(String id) {
    int digits = id.length() - 1;
    if (digits < 6 || digits > 9 || id.charAt(0) != 's' || digits > 6 && id.charAt(1) == '0') {
      return -1;
    }
    int n = 0;
    for (int i = 1; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static void flush(StringBuilder out, int start, int last) {
    if (start < 0) {
      return;
    }
    separate(out).append(Ids.setting(start));
    if (last > start) {
      out.append('-').append(Ids.setting(last));
    }
  }

  private static StringBuilder separate(StringBuilder out) {
    return out.isEmpty() ? out : out.append(',');
  }
}
