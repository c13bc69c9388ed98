package io.hps.cli;

import java.util.List;
import picocli.CommandLine;

/** The command line a user typed, as text to record and quote (study.json's createdBy, reports). */
final class Commands {
  private Commands() {}

  /** {@code hps run --space s.json --study 'my runs/a'}: the subcommand and its arguments, quoted for a shell. */
  static String typed(CommandLine command) {
    List<String> args = command.getParseResult() == null ? List.of() : command.getParseResult().originalArgs();
    StringBuilder text = new StringBuilder("hps");
    for (String arg : args) {
      text.append(' ').append(quoted(arg));
    }
    // study.json keeps at most 10,000 characters of it: a longer command line is cut, and says so.
    return text.length() <= 10_000 ? text.toString() : text.substring(0, 9_990) + " [cut]";
  }

  /** An argument as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
  static String quoted(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
