package io.hps.plot;

import io.hps.plot.Canvas.Anchor;
import io.hps.plot.Canvas.Marker;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays a {@link Figure} out and draws it on a {@link Canvas}: title, axes with {@link Axis} ticks, the series
 * (clipped to the plot), and a legend at the right. The SVG and the PNG of a figure are two canvases given
 * the same drawing, so they agree in every label.
 */
final class FigurePainter {
  static final int WIDTH = 1000;
  /** The height of a chart; a timeline has a row per worker and is no taller than its rows need. */
  static final int HEIGHT = 650;
  static final Color GRID = new Color(0xe4e4e4);
  static final Color MINOR = new Color(0xf1f1f1);
  static final Color FRAME = new Color(0x888888);
  /** Dash patterns of the line styles: solid, dashed, dotted, dash-dot. */
  static final float[][] DASHES = {null, {9, 5}, {1.5f, 4.5f}, {9, 4, 2, 4}};
  static final float[] DIVERGED = {6, 4};
  static final double LEGEND_MAX = 340;

  private final Figure figure;
  private final boolean legend;
  private final List<String> title;
  private double left;
  private final double top;
  private final double right;
  private final int height;
  private final double bottom;
  private Axis x;
  private Axis y;

  FigurePainter(Figure figure) {
    this.figure = figure;
    this.height = height(figure);
    this.bottom = height - 58;
    long labelled = figure.series().stream().filter(s -> !s.label().isEmpty() && drawable(s)).count();
    this.legend = figure.kind() != Figure.Kind.TIMELINE && labelled > 0 && labelled <= 30;
    double legendWidth = legend ? Math.min(LEGEND_MAX, 44 + figure.series().stream()
        .filter(s -> !s.label().isEmpty()).mapToDouble(s -> Canvas.width(s.label(), 11, false)).max().orElse(0)) : 0;
    this.right = WIDTH - 25 - (legend ? legendWidth + 15 : 0);
    this.title = wrap(figure.title(), WIDTH - 40, 15);
    this.top = 22 + 19 * title.size();
  }

  /** Draws the figure. */
  void paint(Canvas canvas) {
    layout();
    for (int i = 0; i < title.size(); i++) {
      canvas.text(WIDTH / 2.0, 24 + 19 * i, title.get(i), Anchor.MIDDLE, 15, true, false);
    }
    boolean empty = Double.isNaN(range(true)[0]);
    if (empty) {
      // Nothing to draw: no made-up ticks either, only what the axes would have shown.
      canvas.text((left + right) / 2, height - 18, figure.xLabel(), Anchor.MIDDLE, 13, false, false);
      canvas.text(20, (top + bottom) / 2, figure.yLabel(), Anchor.MIDDLE, 13, false, true);
    } else {
      axes(canvas);
    }
    canvas.clip(left, top, right - left, bottom - top);
    boolean drawn = false;
    for (Series s : figure.series()) {
      drawn |= series(canvas, s);
    }
    canvas.unclip();
    if (!drawn) {
      canvas.text((left + right) / 2, (top + bottom) / 2, "no finite values to draw", Anchor.MIDDLE, 14, false, false);
    }
    if (legend) {
      legend(canvas);
    }
    canvas.rect(left, top, right - left, bottom - top, FRAME, null);
  }

  /** The axes' ranges and ticks, and the left margin the y labels need. */
  private void layout() {
    double[] xs = range(true);
    double[] ys = range(false);
    if (!Double.isNaN(figure.yMax())) {
      ys[1] = figure.yMax();
    }
    boolean timeline = figure.kind() == Figure.Kind.TIMELINE;
    if (timeline) {
      ys = new double[] {1, Math.max(1, ys[1])};
    }
    // The y labels decide the left margin, and the plot's width the x ticks: first a guess, then the real one.
    left = 80;
    y = timeline ? lanes(ys[1]) : Axis.of(ys[0], ys[1], figure.logY(), false, bottom - top, false, 0.04);
    double widest = timeline ? lanes().values().stream().mapToDouble(t -> Canvas.width(t, Axis.TEXT, false)).max()
        .orElse(20) : y.labels().stream().mapToDouble(t -> Canvas.width(t, Axis.TEXT, false)).max().orElse(20);
    left = Math.max(60, 42 + widest);
    x = Axis.of(xs[0], xs[1], figure.logX(), wholeX(), right - left, true, 0.03);
  }

  /** Timeline rows: one per lane, labelled with the lane's worker. */
  private Axis lanes(double top) {
    Map<Double, String> names = lanes();
    List<Double> ticks = new ArrayList<>(names.keySet());
    return new Axis(0.5, top + 0.5, false, ticks, ticks.stream().map(names::get).toList(), List.of());
  }

  private Map<Double, String> lanes() {
    Map<Double, String> names = new TreeMap<>();
    figure.series().forEach(s -> names.putIfAbsent(s.y().length == 0 ? 0 : s.y()[0], s.label()));
    return names;
  }

  /**
   * Whether every x value is a whole number (epochs, evaluations, settings): the axis then labels only whole
   * numbers, never 1.5 epochs.
   */
  private boolean wholeX() {
    return figure.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x()))
        .filter(Double::isFinite).allMatch(v -> v == Math.rint(v));
  }

  private double[] range(boolean horizontal) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : figure.series()) {
      for (int i = 0; i < s.x().length; i++) {
        if (usable(s.x()[i], figure.logX()) && usable(s.y()[i], figure.logY())) {
          double v = horizontal ? s.x()[i] : s.y()[i];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : new double[] {Double.NaN, Double.NaN};
  }

  /** Whether the series has a point this figure can draw. */
  private boolean drawable(Series s) {
    for (int i = 0; i < s.x().length; i++) {
      if (usable(s.x()[i], figure.logX()) && usable(s.y()[i], figure.logY())) {
        return true;
      }
    }
    return false;
  }

  private static boolean usable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  private double px(double v) {
    return left + x.fraction(v) * (right - left);
  }

  private double py(double v) {
    // A timeline's first lane (w1) is the top row, as a table's first row is.
    return figure.kind() == Figure.Kind.TIMELINE ? top + y.fraction(v) * (bottom - top)
        : bottom - y.fraction(v) * (bottom - top);
  }

  private void axes(Canvas canvas) {
    for (double t : x.minor()) {
      canvas.line(px(t), top, px(t), bottom, MINOR, 1, null);
    }
    for (double t : y.minor()) {
      canvas.line(left, py(t), right, py(t), MINOR, 1, null);
    }
    for (int i = 0; i < x.ticks().size(); i++) {
      double at = px(x.ticks().get(i));
      canvas.line(at, top, at, bottom, GRID, 1, null);
      canvas.line(at, bottom, at, bottom + 4, FRAME, 1, null);
      canvas.text(at, bottom + 17, x.labels().get(i), Anchor.MIDDLE, Axis.TEXT, false, false);
    }
    for (int i = 0; i < y.ticks().size(); i++) {
      double at = py(y.ticks().get(i));
      canvas.line(left, at, right, at, GRID, 1, null);
      canvas.line(left - 4, at, left, at, FRAME, 1, null);
      canvas.text(left - 7, at + 4, y.labels().get(i), Anchor.END, Axis.TEXT, false, false);
    }
    canvas.text((left + right) / 2, height - 18, figure.xLabel(), Anchor.MIDDLE, 13, false, false);
    canvas.text(20, (top + bottom) / 2, figure.yLabel(), Anchor.MIDDLE, 13, false, true);
  }

  /** The figure's height in pixels: {@link #HEIGHT}, or for a timeline about 70 pixels a worker. */
  static int height(Figure figure) {
    if (figure.kind() != Figure.Kind.TIMELINE) {
      return HEIGHT;
    }
    long lanes = figure.series().stream().map(s -> s.y().length == 0 ? 0 : s.y()[0]).distinct().count();
    return (int) Math.min(HEIGHT, 190 + 70 * Math.max(1, lanes));
  }

  /** The height this painter draws. */
  int height() {
    return height;
  }

  /** Draws one series; returns whether it drew anything. */
  private boolean series(Canvas canvas, Series s) {
    Color colour = Charts.PALETTE[s.group() % Charts.PALETTE.length];
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < s.x().length; i++) {
      if (usable(s.x()[i], figure.logX()) && usable(s.y()[i], figure.logY())) {
        points.add(new double[] {px(s.x()[i]), py(s.y()[i])});
      }
    }
    if (points.isEmpty()) {
      return false;
    }
    if (figure.kind() == Figure.Kind.TIMELINE) {
      double[] a = points.get(0);
      double[] b = points.get(points.size() - 1);
      // A pixel short at each end, so that a worker's back-to-back settings show as separate bars.
      canvas.line(a[0] + 1, a[1], Math.max(b[0] - 1, a[0] + 2), a[1], colour, 14, null);
      if (!s.tag().isEmpty()) {
        canvas.text((a[0] + b[0]) / 2, a[1] - 11, s.tag(), Anchor.MIDDLE, 10, false, false);
      }
      return true;
    }
    // In a scatter plot, a series without markers is a line through its points (a front, a threshold).
    boolean scatter = figure.kind() == Figure.Kind.POINTS && s.markers() || s.offChart() || s.highlight();
    if (!scatter && points.size() > 1) {
      List<double[]> path = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        if (i > 0 && figure.kind() == Figure.Kind.STEPS) {
          path.add(new double[] {points.get(i)[0], points.get(i - 1)[1]});
        }
        path.add(points.get(i));
      }
      canvas.path(path.stream().mapToDouble(p -> p[0]).toArray(), path.stream().mapToDouble(p -> p[1]).toArray(),
          colour, figure.kind() == Figure.Kind.STEPS ? 1.8 : 1.6, s.diverged() ? DIVERGED : DASHES[s.style()
          % DASHES.length], s.label());
    }
    boolean markers = scatter || s.markers() && figure.kind() == Figure.Kind.LINES && points.size() <= 60;
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (s.highlight()) {
        canvas.marker(Marker.RING, p[0], p[1], colour, s.label());
      } else if (s.offChart()) {
        canvas.marker(Marker.TRIANGLE, p[0], p[1], colour, s.label());
      } else if (s.diverged() && (scatter || i == points.size() - 1)) {
        canvas.marker(Marker.CROSS, p[0], p[1], colour, s.label());
      } else if (markers) {
        canvas.marker(scatter ? Marker.POINT : Marker.DOT, p[0], p[1], colour, s.label());
      }
    }
    return true;
  }

  private void legend(Canvas canvas) {
    double at = top + 12;
    double from = right + 15;
    double room = WIDTH - 10 - (from + 40);
    for (Series s : figure.series()) {
      if (s.label().isEmpty() || !drawable(s)) {
        continue; // a run with no finite value has nothing on the chart for a legend entry to name
      }
      Color colour = Charts.PALETTE[s.group() % Charts.PALETTE.length];
      if (s.highlight()) {
        canvas.marker(Marker.RING, from + 14, at - 4, colour, "");
      } else if (s.offChart()) {
        canvas.marker(Marker.TRIANGLE, from + 14, at - 4, colour, "");
      } else if (figure.kind() == Figure.Kind.POINTS) {
        canvas.marker(s.diverged() ? Marker.CROSS : Marker.POINT, from + 14, at - 4, colour, "");
      } else {
        canvas.line(from, at - 4, from + 28, at - 4, colour, 2, s.diverged() ? DIVERGED : DASHES[s.style()
            % DASHES.length]);
        if (s.markers() && figure.kind() == Figure.Kind.LINES && s.x().length <= 60) { // as drawn on the curve
          canvas.marker(s.diverged() ? Marker.CROSS : Marker.DOT, from + 14, at - 4, colour, "");
        }
      }
      canvas.text(from + 36, at, shorten(s.label(), room, 11), Anchor.START, 11, false, false);
      at += 18;
    }
  }

  /** {@code text} cut to {@code pixels} wide, with an ellipsis when cut. */
  static String shorten(String text, double pixels, double size) {
    if (Canvas.width(text, size, false) <= pixels) {
      return text;
    }
    String cut = text;
    while (cut.length() > 1 && Canvas.width(cut + "…", size, false) > pixels) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }

  /** {@code text} in lines of at most {@code pixels}, broken between words (at most two lines). */
  static List<String> wrap(String text, double pixels, double size) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String longer = line.length() == 0 ? word : line + " " + word;
      if (line.length() > 0 && Canvas.width(longer, size, true) > pixels && lines.isEmpty()) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(longer);
      }
    }
    lines.add(lines.isEmpty() ? line.toString() : shorten(line.toString(), pixels, size));
    return lines;
  }
}
