package io.hps.plot;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The learning-curve figures of a study: training loss, validation loss and validation error against
 * epochs, and training loss and validation error against training time. Each curve is labelled with the
 * parameters that vary across the study's results; non-finite points are left out, so a diverged run
 * stops where it left the chart and says so in its label.
 */
public final class LearningCurves {
  private LearningCurves() {}

  public static List<Figure> of(List<Result> results) {
    List<Result> runs = results.stream().filter(r -> r.status() != Status.FAILED && !r.epochs().isEmpty())
        .sorted(Comparator.comparing(Result::id)).toList();
    List<String> varied = variedLabels(runs);
    List<Figure> figures = new ArrayList<>();
    figures.add(figure("train-loss-vs-epoch", "Training loss", "epoch", "training loss", runs, varied, false,
        Epoch::trainLoss));
    figures.add(figure("val-loss-vs-epoch", "Validation loss", "epoch", "validation loss", runs, varied, false,
        Epoch::valLoss));
    figures.add(figure("val-error-vs-epoch", "Validation error", "epoch", "validation error", runs, varied, false,
        Epoch::valError));
    figures.add(figure("train-loss-vs-time", "Training loss against training time", "seconds", "training loss", runs,
        varied, true, Epoch::trainLoss));
    figures.add(figure("val-error-vs-time", "Validation error against training time", "seconds", "validation error",
        runs, varied, true, Epoch::valError));
    return figures;
  }

  /** Parameter names whose values differ across the runs, in parameter order, the seed last. */
  public static List<String> varied(List<Result> runs) {
    return varying(runs.stream().map(r -> r.params().values()).toList());
  }

  /**
   * What tells the curves apart: the varied parameters, and {@code framework} first when the results
   * were trained by more than one (the {@code framework} fact of their info, as DL4J and PyTorch record).
   */
  static List<String> variedLabels(List<Result> runs) {
    return varying(runs.stream().map(LearningCurves::labels).toList());
  }

  private static Map<String, Object> labels(Result r) {
    Object framework = r.info().get("framework");
    if (framework == null) {
      return r.params().values();
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("framework", framework);
    out.putAll(r.params().values());
    return out;
  }

  private static List<String> varying(List<Map<String, Object>> runs) {
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(r -> names.addAll(r.keySet()));
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (runs.stream().map(r -> r.get(name)).distinct().count() > 1) {
        out.add(name);
      }
    }
    if (out.remove("seed")) {
      out.add("seed");
    }
    return out;
  }

  private static Figure figure(String name, String title, String xLabel, String yLabel, List<Result> runs,
      List<String> varied, boolean time, ToDoubleFunction<Epoch> metric) {
    double cap = cap(runs.stream().flatMap(r -> r.epochs().stream()).mapToDouble(metric).filter(Double::isFinite)
        .toArray());
    List<Series> series = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    // With results of several frameworks, colour tells the settings apart and line style the framework.
    boolean styled = varied.contains("framework");
    List<String> frameworks = runs.stream().map(r -> String.valueOf(r.info().get("framework"))).distinct().toList();
    List<String> colouredBy = varied.stream().filter(n -> !n.equals("seed") && !(styled && n.equals("framework")))
        .toList();
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Result r : runs) {
      List<double[]> points = new ArrayList<>();
      boolean offChart = false;
      for (Epoch e : r.epochs()) {
        double y = metric.applyAsDouble(e);
        if (Double.isFinite(y)) {
          points.add(new double[] {time ? e.elapsedSeconds() : e.epoch(), y});
          offChart |= y > cap;
          if (y <= cap) {
            min = y > 0 ? Math.min(min, y) : min;
            max = Math.max(max, y);
          }
        }
      }
      boolean diverged = r.status() == Status.DIVERGED;
      String label = label(labels(r), varied, r.id()) + (diverged ? " (diverged)" : "")
          + (offChart ? " (off the chart)" : "");
      String group = label(labels(r), colouredBy, "all");
      if (!groups.contains(group)) {
        groups.add(group);
      }
      int style = styled ? frameworks.indexOf(String.valueOf(r.info().get("framework"))) : 0;
      series.add(new Series(label, groups.indexOf(group), style, points.stream().mapToDouble(p -> p[0]).toArray(),
          points.stream().mapToDouble(p -> p[1]).toArray(), diverged));
    }
    boolean capped = series.stream().anyMatch(s -> s.label().endsWith("(off the chart)"));
    return new Figure(name, title, xLabel, yLabel, false, max / min > 50, Figure.Kind.LINES,
        capped ? cap : Double.NaN, series);
  }

  /**
   * The top of a readable y axis: twice the 90th percentile of the values, so that one run whose loss
   * explodes to 1e9 does not flatten every other curve; infinite when nothing lies above it.
   */
  static double cap(double[] values) {
    if (values.length == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double cap = 2 * sorted[(int) Math.floor(0.9 * (sorted.length - 1))];
    return cap > 0 && sorted[sorted.length - 1] > cap ? cap : Double.POSITIVE_INFINITY;
  }

  /** Four significant digits without trailing zeros: 0.001, 0.05, 2. */
  public static String number(double d) {
    return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }

  static String label(Map<String, Object> params, List<String> varied, String id) {
    if (varied.isEmpty()) {
      return id;
    }
    StringBuilder text = new StringBuilder();
    for (String name : varied) {
      Object v = params.get(name);
      text.append(text.length() == 0 ? "" : " ").append(name).append('=')
          .append(v instanceof Double d ? number(d) : Objects.toString(v));
    }
    return text.toString();
  }
}
