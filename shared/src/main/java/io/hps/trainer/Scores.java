package io.hps.trainer;

/** A validation pass's outcome: the mean loss and the error fraction (in [0, 1]). */
public record Scores(double loss, double error) {}
