package io.hps.cli;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --io-patience}: how long a master or worker keeps trying through I/O errors (see io.hps.study.Patience). */
final class IoPatienceOption {
  @Option(names = "--io-patience", paramLabel = "SECONDS", defaultValue = "300",
      description = {"Keep trying through I/O errors (a flaky shared disk, a full one) for this long before",
          "giving up with the last error (default: ${DEFAULT-VALUE}); a success resets it."})
  double seconds;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** The patience; a usage error when negative. */
  Duration duration() {
    if (!(seconds >= 0)) {
      throw new ParameterException(spec.commandLine(), "--io-patience must be 0 or more seconds");
    }
    return Duration.ofMillis((long) (seconds * 1000));
  }
}
