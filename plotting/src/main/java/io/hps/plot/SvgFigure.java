package io.hps.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A figure as SVG with real text elements (titles, ticks, legend, tags), so it can be edited in any
 * vector editor and searched; the same content and colours as the PNG, drawn by this class rather than
 * by the charting library (which writes text as outlines).
 */
final class SvgFigure {
  static final int WIDTH = 1000;
  static final int HEIGHT = 650;
  private static final String[] DASHES = {"", "9,5", "1,5", "9,4,2,4"};

  private final Figure figure;
  private final StringBuilder svg = new StringBuilder();
  private final boolean legend;
  private final double left;
  private final double top = 45;
  private final double right;
  private final double bottom = HEIGHT - 60;
  private double x0;
  private double x1;
  private double y0;
  private double y1;

  private SvgFigure(Figure figure) {
    this.figure = figure;
    this.legend = figure.kind() != Figure.Kind.TIMELINE && figure.series().stream().anyMatch(s -> !s.label().isEmpty())
        && figure.series().stream().filter(s -> !s.label().isEmpty()).count() <= 30;
    this.right = legend ? WIDTH - 300 : WIDTH - 30;
    // Timeline rows are named by worker ids at the left: room for them beside the axis title.
    this.left = figure.kind() == Figure.Kind.TIMELINE ? 45 + 7 * figure.series().stream()
        .mapToInt(s -> s.label().length()).max().orElse(5) : 80;
  }

  static String of(Figure figure) {
    return new SvgFigure(figure).draw();
  }

  private String draw() {
    range();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(WIDTH / 2.0, 25, figure.title(), "middle", 15, "bold");
    axes();
    svg.append(String.format(Locale.ROOT, "<clipPath id=\"plot\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
        + " height=\"%.1f\"/></clipPath>%n<g clip-path=\"url(#plot)\">%n", left, top, right - left, bottom - top));
    for (Series s : figure.series()) {
      series(s);
    }
    svg.append("</g>\n");
    if (legend) {
      legend();
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void range() {
    x0 = Double.POSITIVE_INFINITY;
    x1 = Double.NEGATIVE_INFINITY;
    y0 = Double.POSITIVE_INFINITY;
    y1 = Double.NEGATIVE_INFINITY;
    for (Series s : figure.series()) {
      for (int i = 0; i < s.x().length; i++) {
        if (usable(s.x()[i], figure.logX()) && usable(s.y()[i], figure.logY())) {
          x0 = Math.min(x0, s.x()[i]);
          x1 = Math.max(x1, s.x()[i]);
          y0 = Math.min(y0, s.y()[i]);
          y1 = Math.max(y1, s.y()[i]);
        }
      }
    }
    if (!Double.isNaN(figure.yMax())) {
      y1 = figure.yMax();
    }
    if (figure.kind() == Figure.Kind.TIMELINE) {
      y0 = 0.5;
      y1 = Math.max(1, y1) + 0.5;
    }
    if (!(x0 <= x1)) {
      x0 = figure.logX() ? 1 : 0;
      x1 = x0 + 1;
    }
    if (!(y0 <= y1)) {
      y0 = figure.logY() ? 1 : 0;
      y1 = y0 + 1;
    }
    if (x0 == x1) {
      x0 = figure.logX() ? x0 / 2 : x0 - 1;
      x1 = figure.logX() ? x1 * 2 : x1 + 1;
    }
    if (y0 == y1) {
      y0 = figure.logY() ? y0 / 2 : y0 - 1;
      y1 = figure.logY() ? y1 * 2 : y1 + 1;
    }
    // A margin, so that points on the extremes (and off-chart markers at the edge) are not cut in half.
    double[] x = pad(x0, x1, figure.logX());
    x0 = x[0];
    x1 = x[1];
    if (figure.kind() != Figure.Kind.TIMELINE) {
      double[] y = pad(y0, y1, figure.logY());
      y0 = y[0];
      y1 = y[1];
    }
  }

  private static double[] pad(double lo, double hi, boolean log) {
    if (log) {
      double f = Math.pow(hi / lo, 0.03);
      return new double[] {lo / f, hi * f};
    }
    double d = 0.03 * (hi - lo);
    return new double[] {lo - d, hi + d};
  }

  private static boolean usable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  private double px(double x) {
    double t = figure.logX() ? Math.log(x / x0) / Math.log(x1 / x0) : (x - x0) / (x1 - x0);
    return left + t * (right - left);
  }

  private double py(double y) {
    double t = figure.logY() ? Math.log(y / y0) / Math.log(y1 / y0) : (y - y0) / (y1 - y0);
    return bottom - t * (bottom - top);
  }

  private void axes() {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\""
        + " stroke=\"#888\"/>%n", left, top, right - left, bottom - top));
    for (double t : ticks(x0, x1, figure.logX(), figure.xLabel().equals("epoch"))) {
      double x = px(t);
      line(x, top, x, bottom, "#e4e4e4", 1, "");
      text(x, bottom + 16, tick(t), "middle", 11, "normal");
    }
    Map<Double, String> lanes = new TreeMap<>();
    if (figure.kind() == Figure.Kind.TIMELINE) {
      figure.series().forEach(s -> lanes.putIfAbsent(s.y().length == 0 ? 0 : s.y()[0], s.label()));
    }
    for (double t : figure.kind() == Figure.Kind.TIMELINE ? new ArrayList<>(lanes.keySet()) : ticks(y0, y1,
        figure.logY(), false)) {
      double y = py(t);
      line(left, y, right, y, "#e4e4e4", 1, "");
      text(left - 6, y + 4, figure.kind() == Figure.Kind.TIMELINE ? lanes.get(t) : tick(t), "end", 11, "normal");
    }
    text((left + right) / 2, HEIGHT - 20, figure.xLabel(), "middle", 13, "normal");
    svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\""
        + " transform=\"rotate(-90 18 %.1f)\">%s</text>%n", (top + bottom) / 2, (top + bottom) / 2,
        escape(figure.yLabel())));
  }

  /** Round tick values: 1, 2, 5 x 10^k on a linear axis, powers of ten (and 2, 5 within 1.5 decades) on a log one. */
  static List<Double> ticks(double lo, double hi, boolean log, boolean whole) {
    List<Double> out = new ArrayList<>();
    if (log) {
      boolean fine = Math.log10(hi / lo) <= 1.5;
      for (int k = (int) Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
        for (double m : fine ? new double[] {1, 2, 5} : new double[] {1}) {
          double v = m * Math.pow(10, k);
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
            out.add(v);
          }
        }
      }
      return out;
    }
    double raw = (hi - lo) / 7;
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
    if (whole) {
      step = Math.max(1, Math.rint(step)); // epochs: 1, 2, 3, never 1.2
    }
    for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return out;
  }

  private static String tick(double v) {
    if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
      return String.format(Locale.ROOT, "%.0e", v).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
    }
    return LearningCurves.number(v);
  }

  private void series(Series s) {
    Color c = Charts.PALETTE[s.group() % Charts.PALETTE.length];
    String colour = String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < s.x().length; i++) {
      if (usable(s.x()[i], figure.logX()) && usable(s.y()[i], figure.logY())) {
        points.add(new double[] {px(s.x()[i]), py(s.y()[i])});
      }
    }
    String title = s.label().isEmpty() ? "" : "<title>" + escape(s.label()) + "</title>";
    boolean scatter = figure.kind() == Figure.Kind.POINTS || s.offChart();
    if (figure.kind() == Figure.Kind.TIMELINE && points.size() >= 2) {
      line(points.get(0)[0], points.get(0)[1], points.get(points.size() - 1)[0], points.get(0)[1], colour, 14, "");
      if (!s.tag().isEmpty()) {
        text((points.get(0)[0] + points.get(points.size() - 1)[0]) / 2, points.get(0)[1] - 10, s.tag(), "middle", 10,
            "normal");
      }
      return;
    }
    if (!scatter && points.size() > 1) {
      StringBuilder d = new StringBuilder();
      for (int i = 0; i < points.size(); i++) {
        double[] p = points.get(i);
        if (i > 0 && figure.kind() == Figure.Kind.STEPS) {
          d.append(String.format(Locale.ROOT, " L%.1f,%.1f", p[0], points.get(i - 1)[1]));
        }
        d.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "M" : " L", p[0], p[1]));
      }
      String dash = s.diverged() ? "6,4" : DASHES[s.style() % DASHES.length];
      svg.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s>%s</path>%n", d,
          colour, dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"", title));
    }
    boolean markers = scatter || s.markers() && figure.kind() == Figure.Kind.LINES && points.size() <= 60;
    for (double[] p : markers ? points : List.<double[]>of()) {
      if (s.offChart()) {
        svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f,%.1f l6,10 h-12 z\" fill=\"%s\">%s</path>%n", p[0],
            p[1] - 2, colour, title));
      } else {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\">%s</circle>%n",
            p[0], p[1], scatter ? "4" : "2.5", colour, title));
      }
    }
  }

  private void legend() {
    double y = top + 10;
    for (Series s : figure.series()) {
      if (s.label().isEmpty() || s.x().length == 0) {
        continue;
      }
      Color c = Charts.PALETTE[s.group() % Charts.PALETTE.length];
      String colour = String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
      double x = right + 15;
      if (s.offChart()) {
        svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f,%.1f l6,10 h-12 z\" fill=\"%s\"/>%n", x + 12, y - 6,
            colour));
      } else if (figure.kind() == Figure.Kind.POINTS) {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x + 12, y,
            colour));
      } else {
        line(x, y, x + 24, y, colour, 2, s.diverged() ? "6,4" : DASHES[s.style() % DASHES.length]);
      }
      text(x + 32, y + 4, s.label(), "start", 11, "normal");
      y += 18;
    }
  }

  private void line(double xa, double ya, double xb, double yb, String colour, double width, String dash) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
        + " stroke-width=\"%s\"%s/>%n", xa, ya, xb, yb, colour, width, dash.isEmpty() ? ""
        : " stroke-dasharray=\"" + dash + "\""));
  }

  private void text(double x, double y, String text, String anchor, int size, String weight) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s>%s"
        + "</text>%n", x, y, anchor, size, weight.equals("normal") ? "" : " font-weight=\"" + weight + "\"",
        escape(text)));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
