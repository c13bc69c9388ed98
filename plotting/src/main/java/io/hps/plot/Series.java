package io.hps.plot;

/**
 * One curve: its legend label (empty: left out of the legend), the group it is coloured by (repeats of
 * one setting share a group), points, and whether the run diverged (drawn up to its last finite point).
 */
public record Series(String label, int group, double[] x, double[] y, boolean diverged) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length");
    }
  }
}
