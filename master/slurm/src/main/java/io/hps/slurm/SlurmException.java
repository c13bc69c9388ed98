package io.hps.slurm;

/** A SLURM command is missing, refused, or answered what hps cannot read; the message says what to do. */
public final class SlurmException extends RuntimeException {
  public SlurmException(String message) {
    super(message);
  }
}
