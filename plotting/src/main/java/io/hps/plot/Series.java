package io.hps.plot;

/**
 * One curve: its legend label (empty: left out of the legend), the group it is coloured by (repeats of
 * one setting share a group), the line style it is drawn with (0 solid, 1 dashed, 2 dotted, 3 dash-dot:
 * a second parameter, such as the framework, told apart without another colour), points, and whether
 * the run diverged (drawn up to its last finite point).
 */
public record Series(String label, int group, int style, double[] x, double[] y, boolean diverged) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length");
    }
    if (style < 0) {
      throw new IllegalArgumentException("style must be >= 0");
    }
  }

  /** A solid curve. */
  public Series(String label, int group, double[] x, double[] y, boolean diverged) {
    this(label, group, 0, x, y, diverged);
  }
}
