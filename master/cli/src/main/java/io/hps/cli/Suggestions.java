package io.hps.cli;

import java.util.Comparator;
import picocli.CommandLine;

/**
 * "Did you mean: hps run?" for a mistyped subcommand ({@code hps rn}, {@code hps statsu}): the closest
 * subcommand name within two edits, or one the typed word starts. Picocli's own suggestions miss short
 * names.
 */
final class Suggestions {
  private Suggestions() {}

  /** The subcommand {@code e}'s first unmatched word was probably meant to be; null when none is close. */
  static String subcommand(CommandLine.ParameterException e, CommandLine where) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException u) || where.getSubcommands().isEmpty()
        || u.getUnmatched().isEmpty() || u.getUnmatched().get(0).startsWith("-")) {
      return null;
    }
    String typed = u.getUnmatched().get(0).toLowerCase(java.util.Locale.ROOT);
    return where.getSubcommands().keySet().stream()
        .filter(name -> distance(typed, name) <= Math.min(2, name.length() / 2) || typed.length() >= 2
            && name.startsWith(typed))
        .min(Comparator.comparingInt(name -> distance(typed, name))).orElse(null);
  }

  /** Edit distance (insertions, deletions, substitutions, and swaps of neighbours). */
  static int distance(String a, String b) {
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
}
