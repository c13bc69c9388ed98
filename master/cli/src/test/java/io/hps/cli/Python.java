package io.hps.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python 3 to run the Python library's workers and master with, for the tests. */
final class Python {
  static final Path LIBRARY = Path.of(System.getProperty("hps.root", ".."), "worker", "python");

  private Python() {}

  /** The first of {@code python3} and Debian's {@code /usr/bin/python3} that runs {@code code}; null if none. */
  static String with(String code) {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", code).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
        p.destroyForcibly();
      } catch (Exception e) {
        // not installed: try the next
      }
    }
    return null;
  }

  /** A Python 3.9 or newer. */
  static String any() {
    return with("import sys; sys.exit(sys.version_info < (3, 9))");
  }

  /** A Python with PyTorch. */
  static String withTorch() {
    return with("import torch");
  }

  /** Starts {@code python args...} in the library's folder (so {@code -m hps_worker...} works), output to {@code log}. */
  static Process start(String python, Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(python));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(LIBRARY.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("PYTHONPATH", LIBRARY.toAbsolutePath().toString());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    return builder.start();
  }
}
