package io.hps.space;

import java.util.Locale;

/** How close a mistyped name is to a known one: for "did you mean" in errors (parameters, subcommands). */
public final class Typos {
  private Typos() {}

  /** Edit distance: insertions, deletions, substitutions, and swaps of neighbours each count one. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Whether {@code typed} is probably {@code known} mistyped: the same ignoring case, or two edits apart. */
  public static boolean close(String typed, String known) {
    return typed.equalsIgnoreCase(known) || Math.min(typed.length(), known.length()) > 2
        && distance(typed.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT)) <= 2;
  }
}
