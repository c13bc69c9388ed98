package io.hps.plot;

import java.util.List;

/** A line chart to write: file name (without extension), title, axis labels, log scales, curves. */
public record Figure(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY,
    List<Series> series) {
  public Figure {
    series = List.copyOf(series);
  }
}
