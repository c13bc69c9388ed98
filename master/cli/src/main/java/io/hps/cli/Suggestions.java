package io.hps.cli;

import io.hps.space.Typos;
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
        .filter(name -> Typos.distance(typed, name) <= Math.min(2, name.length() / 2) || typed.length() >= 2
            && name.startsWith(typed))
        .min(Comparator.comparingInt(name -> Typos.distance(typed, name))).orElse(null);
  }
}
