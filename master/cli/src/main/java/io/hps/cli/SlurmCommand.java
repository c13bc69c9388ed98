package io.hps.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hps slurm}: workers on a SLURM cluster. */
@Command(name = "slurm", header = "Submit and cancel workers on a SLURM cluster.",
    mixinStandardHelpOptions = true,
    description = {"Run workers on a SLURM cluster: submit them as a job array, cancel them. The study",
        "directory must be on a filesystem every node sees, at the same path."},
    subcommands = {SlurmSubmitCommand.class, SlurmCancelCommand.class})
final class SlurmCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: submit or cancel");
  }
}
