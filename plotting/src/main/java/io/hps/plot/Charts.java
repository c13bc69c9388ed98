package io.hps.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes figures as PNG (for reports) and SVG (for editing), one consistent style for all. */
public final class Charts {
  /** Ten distinguishable colours (the Tableau 10 palette). */
  static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};

  private Charts() {}

  /** Writes {@code <name>.png} and {@code <name>.svg} into {@code dir}; returns the files written. */
  public static List<Path> write(Figure figure, Path dir) throws IOException {
    Files.createDirectories(dir);
    XYChart chart = new XYChartBuilder().width(1000).height(650).title(figure.title()).xAxisTitle(figure.xLabel())
        .yAxisTitle(figure.yLabel()).build();
    chart.getStyler().setTheme(new org.knowm.xchart.style.theme.MatlabTheme());
    chart.getStyler().setYAxisLogarithmic(figure.logY());
    chart.getStyler().setXAxisLogarithmic(figure.logX());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setLegendVisible(figure.series().size() <= 24);
    int drawn = 0;
    for (Series s : figure.series()) {
      if (s.x().length == 0) {
        continue;
      }
      XYSeries series = chart.addSeries(unique(chart, s.label()), s.x(), s.y());
      series.setMarker(s.diverged() ? SeriesMarkers.CROSS : SeriesMarkers.NONE);
      series.setLineColor(PALETTE[s.group() % PALETTE.length]);
      series.setMarkerColor(PALETTE[s.group() % PALETTE.length]);
      series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
      if (s.diverged()) {
        series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {6, 4}, 0));
      }
      drawn++;
    }
    if (drawn == 0) {
      chart.addSeries("no finite points", new double[] {0}, new double[] {figure.logY() ? 1 : 0});
    }
    List<Path> files = new ArrayList<>();
    Path png = dir.resolve(figure.name() + ".png");
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    files.add(png);
    Path svg = dir.resolve(figure.name() + ".svg");
    VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    files.add(svg);
    return files;
  }

  private static String unique(XYChart chart, String label) {
    String name = label;
    for (int i = 2; chart.getSeries(name) != null; i++) {
      name = label + " #" + i;
    }
    return name;
  }
}
