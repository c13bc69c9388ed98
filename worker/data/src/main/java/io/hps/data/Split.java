package io.hps.data;

/** A training block and a disjoint validation block. */
public record Split(Dataset train, Dataset validation) {}
