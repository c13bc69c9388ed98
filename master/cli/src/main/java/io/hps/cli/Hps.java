package io.hps.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code hps} command: hyperparameter search through a shared study directory. */
@Command(name = "hps", mixinStandardHelpOptions = true, version = "hps " + io.hps.protocol.Version.HPS,
    description = {"Hyperparameter search through a shared study directory: a master writes settings, workers",
        "claim them by atomic rename, train (the DL4J trainers, your own JVM model, any program, or Python",
        "workers) and publish results. No server, no database."},
    subcommands = {RunCommand.class, MasterCommand.class, WorkerCommand.class, StatusCommand.class,
        ScenarioCommand.class, PlotCommand.class, SimulateCommand.class, ReplayCommand.class, DashboardCommand.class, SlurmCommand.class,
        DataCommand.class,
        DoctorCommand.class, VerifyCommand.class, BenchCommand.class, BenchScaleCommand.class, BenchTrainCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 done, 1 failure, 2 bad usage. Protocol: PROTOCOL.md."})
public final class Hps implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
  }

  private static String lower(String text) {
    return text.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The configured command line, for main and for tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Hps()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpWidth(110); // the descriptions break their own lines at about 105 columns
    // The protocol's enums as the files write them, in any case: --strategy Successive-Halving works.
    cli.registerConverter(io.hps.protocol.Strategy.class, t -> plain(() -> io.hps.protocol.Strategy.parse(lower(t))));
    cli.registerConverter(io.hps.protocol.Stopping.class, t -> plain(() -> io.hps.protocol.Stopping.parse(lower(t))));
    cli.registerConverter(io.hps.protocol.Mode.class, t -> plain(() -> io.hps.protocol.Mode.parse(lower(t))));
    // A usage error is one line and where to read more, not the whole help text after it.
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine where = e.getCommandLine();
      String name = where.getCommandSpec().qualifiedName();
      where.getErr().println(name + ": " + e.getMessage());
      String guess = Suggestions.subcommand(e, where);
      if (guess != null) {
        where.getErr().println("Did you mean: " + name + " " + guess + "?");
      } else {
        CommandLine.UnmatchedArgumentException.printSuggestions(e, where.getErr());
      }
      where.getErr().println("(" + name + " --help lists the " + (where.getSubcommands().isEmpty() ? "options)"
          : "commands and options)"));
      where.getErr().flush();
      return where.getCommandSpec().exitCodeOnInvalidInput();
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message(e));
      if (System.getenv("HPS_DEBUG") != null) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return 1;
    });
    return cli;
  }

  /** A conversion whose error message is the user's to read as it is: "unknown mode 'both' (sync, async)". */
  private static <T> T plain(java.util.function.Supplier<T> convert) {
    try {
      return convert.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static String message(Throwable e) {
    String text = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + text;
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file is in the way of a directory: " + text;
    }
    return text == null ? e.getClass().getSimpleName() : text;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
