package io.hps.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes figures as PNG (for reports, drawn with xchart) and SVG (for editing: real text elements,
 * drawn by {@link SvgFigure}), one consistent style for all.
 */
public final class Charts {
  /** Ten distinguishable colours (the Tableau 10 palette). */
  static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};

  /** Line styles for {@link Series#style()}: solid, dashed, dotted, dash-dot. */
  static final BasicStroke[] STYLES = {org.knowm.xchart.style.lines.SeriesLines.SOLID,
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {9, 5}, 0),
      new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_MITER, 10, new float[] {1, 5}, 0),
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {9, 4, 2, 4}, 0)};

  private Charts() {}

  /** Writes {@code <name>.png} and {@code <name>.svg} into {@code dir}; returns the files written. */
  public static List<Path> write(Figure figure, Path dir) throws IOException {
    Files.createDirectories(dir);
    XYChart chart = new XYChartBuilder().width(1000).height(650).title(figure.title()).xAxisTitle(figure.xLabel())
        .yAxisTitle(figure.yLabel()).build();
    chart.getStyler().setTheme(new org.knowm.xchart.style.theme.MatlabTheme());
    chart.getStyler().setYAxisLogarithmic(figure.logY());
    chart.getStyler().setXAxisLogarithmic(figure.logX());
    // Label 2, 3, 5 ... between the powers of ten when the axis spans at most 1.5 decades (16..256 has one
    // power of ten in it); over more, those labels would run into each other.
    chart.getStyler().setXAxisLogarithmicDecadeOnly(decades(figure, true) > 1.5);
    chart.getStyler().setYAxisLogarithmicDecadeOnly(decades(figure, false) > 1.5);
    if (!figure.logY() && figure.kind() != Figure.Kind.TIMELINE) {
      chart.getStyler().setYAxisDecimalPattern("0.#####"); // 0.036, not .036
    }
    if (!figure.logX()) {
      chart.getStyler().setXAxisDecimalPattern("0.#####");
    }
    if (figure.kind() == Figure.Kind.TIMELINE) {
      // One row per lane, and no empty rows around them.
      double top = figure.series().stream().mapToDouble(s -> s.y().length == 0 ? 0 : s.y()[0]).max().orElse(1);
      chart.getStyler().setYAxisMin(0.5);
      chart.getStyler().setYAxisMax(top + 0.5);
      // The rows are named in the legend (the worker ids, colour by colour): the axis' own ticks fall
      // between rows, so its labels are left empty.
      chart.getStyler().setYAxisTickLabelsFormattingFunction(v -> "");
    } else if (!Double.isNaN(figure.yMax())) {
      chart.getStyler().setYAxisMax(figure.yMax());
    }
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(5);
    // Long enough to show two dashes of the dashed style and the dots of the dotted one either side of the
    // marker (the default 24 px drew a dashed swatch like a solid one).
    chart.getStyler().setLegendSeriesLineLength(48);
    chart.getStyler().setLegendVisible(figure.kind() == Figure.Kind.TIMELINE || figure.series().stream()
        .filter(s -> !s.label().isEmpty()).count() <= 30);
    java.util.Set<Integer> named = new java.util.HashSet<>();
    int drawn = 0;
    for (Series s : figure.series()) {
      if (s.x().length == 0) {
        continue;
      }
      XYSeries series = chart.addSeries(unique(chart, s.label().isEmpty() ? " " : s.label()), s.x(), s.y());
      series.setShowInLegend(!s.label().isEmpty());
      Color colour = PALETTE[s.group() % PALETTE.length];
      series.setLineColor(colour);
      series.setMarkerColor(colour);
      switch (figure.kind()) {
        case POINTS -> {
          series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
          series.setMarker(s.diverged() ? SeriesMarkers.CROSS : SeriesMarkers.CIRCLE);
        }
        case TIMELINE -> {
          series.setMarker(SeriesMarkers.NONE);
          series.setLineStyle(new BasicStroke(14f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
          series.setShowInLegend(named.add(s.group()));
        }
        case LINES, STEPS -> {
          if (s.offChart()) {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.TRIANGLE_UP);
            continue;
          }
          if (figure.kind() == Figure.Kind.STEPS) {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
          }
          series.setMarker(!s.markers() ? SeriesMarkers.NONE : s.diverged() ? SeriesMarkers.CROSS
              : figure.kind() == Figure.Kind.LINES && s.x().length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
          series.setLineStyle(s.diverged() ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
              new float[] {6, 4}, 0) : STYLES[s.style() % STYLES.length]);
        }
      }
      drawn++;
      if (!s.tag().isEmpty() && s.x().length > 0) {
        double mid = (s.x()[0] + s.x()[s.x().length - 1]) / 2;
        double y = figure.kind() == Figure.Kind.TIMELINE ? s.y()[0] + 0.1 : s.y()[0];
        chart.addAnnotation(new org.knowm.xchart.AnnotationText(s.tag(), mid, y, false));
      }
    }
    if (drawn == 0) {
      chart.addSeries("no finite points", new double[] {0}, new double[] {figure.logY() ? 1 : 0});
    }
    List<Path> files = new ArrayList<>();
    Path png = dir.resolve(figure.name() + ".png");
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    files.add(png);
    Path svg = dir.resolve(figure.name() + ".svg");
    Files.writeString(svg, SvgFigure.of(figure), java.nio.charset.StandardCharsets.UTF_8);
    files.add(svg);
    return files;
  }

  /** Decades the positive x (or y) values of a figure span. */
  static double decades(Figure figure, boolean x) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Series s : figure.series()) {
      for (double v : x ? s.x() : s.y()) {
        if (v > 0 && Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return max > 0 ? Math.log10(max / min) : 0;
  }

  private static String unique(XYChart chart, String label) {
    String name = label;
    for (int i = 2; chart.getSeries(name) != null; i++) {
      name = label + " #" + i;
    }
    return name;
  }
}
