package io.hps.plot;

import java.util.List;
import java.util.Objects;

/**
 * A chart to write: file name (without extension), title, axis labels, log scales, what it draws, the
 * top of the y axis ({@code NaN}: fit the data; else points above it leave the chart), and its series.
 */
public record Figure(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY,
    Kind kind, double yMax, List<Series> series) {
  /** How series are drawn. */
  public enum Kind {
    /** Curves through their points, with a marker at each (epochs). */
    LINES,
    /** Staircases: each value holds until the next (best so far against evaluations). */
    STEPS,
    /** Points only: one marker per value (scatter plots). */
    POINTS,
    /** Thick horizontal bars, one per series (a Gantt chart); the legend names each group once. */
    TIMELINE
  }

  public Figure {
    Objects.requireNonNull(kind, "kind");
    series = List.copyOf(series);
  }

  /** A line chart. */
  public Figure(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY,
      List<Series> series) {
    this(name, title, xLabel, yLabel, logX, logY, Kind.LINES, Double.NaN, series);
  }

  /** A chart whose y axis fits the data. */
  public Figure(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY, Kind kind,
      List<Series> series) {
    this(name, title, xLabel, yLabel, logX, logY, kind, Double.NaN, series);
  }

  /** The same figure with {@code more} series drawn over it (markers, budget lines). */
  public Figure with(List<Series> more) {
    List<Series> all = new java.util.ArrayList<>(series);
    all.addAll(more);
    return new Figure(name, title, xLabel, yLabel, logX, logY, kind, yMax, all);
  }

  /** The same figure under another title. */
  public Figure titled(String newTitle) {
    return new Figure(name, newTitle, xLabel, yLabel, logX, logY, kind, yMax, series);
  }
}
