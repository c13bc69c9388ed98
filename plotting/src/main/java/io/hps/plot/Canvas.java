package io.hps.plot;

import java.awt.Color;

/**
 * Where a figure is drawn: the same calls make the SVG (real text, for editing) and the PNG (for reports),
 * so both show the same ticks, labels and legend. Coordinates are pixels from the top left.
 */
interface Canvas {
  /** How text sits on its point. */
  enum Anchor { START, MIDDLE, END }

  /** The marks drawn at data points and in legends. */
  enum Marker {
    /** A small filled circle at each epoch of a curve. */
    DOT,
    /** A larger filled circle: one point of a scatter plot. */
    POINT,
    /** An x: the last finite point of a diverged run. */
    CROSS,
    /** A triangle at the chart's edge: a value off the chart. */
    TRIANGLE,
    /** A black ring around a point: the one the figure singles out (the best within a budget). */
    RING
  }

  void rect(double x, double y, double width, double height, Color stroke, Color fill);

  void line(double x1, double y1, double x2, double y2, Color colour, double width, float[] dash);

  /** A polyline through the points; {@code title} is a tooltip in the SVG (empty: none). */
  void path(double[] xs, double[] ys, Color colour, double width, float[] dash, String title);

  void marker(Marker marker, double x, double y, Color colour, String title);

  /** Text with its baseline at {@code y}; {@code vertical} turns it to read upwards. */
  void text(double x, double y, String text, Anchor anchor, double size, boolean bold, boolean vertical);

  /** Clips what follows to the rectangle, until {@link #unclip()}. */
  void clip(double x, double y, double width, double height);

  void unclip();

  /** The width of {@code text} in pixels, as the PNG draws it (the SVG uses the same layout). */
  static double width(String text, double size, boolean bold) {
    java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, bold ? java.awt.Font.BOLD : java.awt.Font.PLAIN,
        1).deriveFont((float) size);
    return font.getStringBounds(text, CONTEXT).getWidth();
  }

  java.awt.font.FontRenderContext CONTEXT = new java.awt.font.FontRenderContext(null, true, true);
}
