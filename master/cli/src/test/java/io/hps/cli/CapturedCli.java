package io.hps.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The hps command line run inside the test JVM, with its standard output and error captured. */
final class CapturedCli {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** Runs {@code hps args...}; returns the exit code. */
  int run(String... args) {
    CommandLine cli = Hps.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Runs {@code hps args...}, which must succeed; returns its standard output. */
  String runOk(String... args) {
    int rc = run(args);
    if (rc != 0) {
      throw new AssertionError("hps " + String.join(" ", args) + " exited with " + rc + ":\n" + out + err);
    }
    return out.toString();
  }
}
