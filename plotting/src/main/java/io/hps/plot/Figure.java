package io.hps.plot;

import java.util.List;

/** A line chart to write: file name (without extension), title, axis labels, log scale of y, curves. */
public record Figure(String name, String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
  public Figure {
    series = List.copyOf(series);
  }
}
