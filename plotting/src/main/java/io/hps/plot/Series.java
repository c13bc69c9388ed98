package io.hps.plot;

/**
 * One curve: its legend label (empty: left out of the legend), the group it is coloured by (repeats of
 * one setting share a group), the line style it is drawn with (0 solid, 1 dashed, 2 dotted, 3 dash-dot:
 * a second parameter, such as the framework, told apart without another colour), points, whether the
 * run diverged (drawn up to its last finite point), and whether its points are values outside the
 * chart drawn at its edge (triangles, with the values in the label); {@code tag} is a short text drawn
 * on the series itself (a timeline bar's setting id; empty for none); {@code markers} false draws a line
 * chart's series without markers at its points (a reference line, such as a budget, is no data), and in a
 * scatter plot draws the series as a line;
 * {@code highlight} rings its points in black: the one point a figure singles out (the best run within a
 * budget), not to be mistaken for data or for values off the chart.
 */
public record Series(String label, int group, int style, double[] x, double[] y, boolean diverged,
    boolean offChart, String tag, boolean markers, boolean highlight) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length");
    }
    if (style < 0) {
      throw new IllegalArgumentException("style must be >= 0");
    }
  }

  /** A series that is not a highlight. */
  public Series(String label, int group, int style, double[] x, double[] y, boolean diverged, boolean offChart,
      String tag, boolean markers) {
    this(label, group, style, x, y, diverged, offChart, tag, markers, false);
  }

  /** Points the figure singles out, ringed in black (see {@code highlight}). */
  public static Series highlight(String label, int group, double[] x, double[] y) {
    return new Series(label, group, 0, x, y, false, false, "", true, true);
  }

  /** A series with markers where its chart kind draws them. */
  public Series(String label, int group, int style, double[] x, double[] y, boolean diverged, boolean offChart,
      String tag) {
    this(label, group, style, x, y, diverged, offChart, tag, true);
  }

  /** A reference line (a budget, a threshold): in a line style, without markers. */
  public static Series line(String label, int group, int style, double[] x, double[] y) {
    return new Series(label, group, style, x, y, false, false, "", false);
  }

  /** A series without a tag. */
  public Series(String label, int group, int style, double[] x, double[] y, boolean diverged, boolean offChart) {
    this(label, group, style, x, y, diverged, offChart, "");
  }

  /** A curve in a line style. */
  public Series(String label, int group, int style, double[] x, double[] y, boolean diverged) {
    this(label, group, style, x, y, diverged, false);
  }

  /** A solid curve. */
  public Series(String label, int group, double[] x, double[] y, boolean diverged) {
    this(label, group, 0, x, y, diverged, false);
  }
}
