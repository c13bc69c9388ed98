package io.hps.plot;

import io.hps.protocol.Epoch;
import io.hps.protocol.Result;
import io.hps.protocol.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The learning-curve figures of a study: training loss, validation loss and validation error, each against
 * epochs and against training time.
 *
 * <p>One legend entry per setting: the repeats of a setting (runs that differ only in their seed) share
 * its colour, line style and entry ("lr=0.1 (3 runs)"). Colour tells apart the values of the first
 * parameter that varies, line style those of the second (or the framework, when results come from more
 * than one); with more parameters (random search), each setting has its own colour, and line styles
 * take over past ten settings. Markers sit at epochs. A value outside the readable range (a loss of 1e9
 * beside losses near 1) is drawn at the chart's edge as a triangle, and its value is in the legend.
 *
 * <p>The time axis is cumulative <em>training</em> seconds (each epoch's {@code trainSeconds}: validation
 * and warm-up not counted) when every result records them, else seconds since the trial started.
 */
public final class LearningCurves {
  static final String TRAINING_TIME = "training seconds (cumulative; validation and warm-up not counted)";
  static final String ELAPSED_TIME = "seconds since the trial started (training and validation)";

  private LearningCurves() {}

  public static List<Figure> of(List<Result> results) {
    List<Result> runs = results.stream().filter(r -> r.status() != Status.FAILED && !r.epochs().isEmpty())
        .sorted(Comparator.comparing(Result::id)).toList();
    Legend legend = Legend.of(runs);
    boolean training = !runs.isEmpty() && runs.stream().allMatch(r -> r.epochs().stream()
        .allMatch(e -> e.trainSeconds() != null));
    String time = training ? TRAINING_TIME : ELAPSED_TIME;
    List<Figure> figures = new ArrayList<>();
    figures.add(figure("train-loss-vs-epoch", "Training loss", "epoch", "training loss", runs, legend, null,
        Epoch::trainLoss));
    figures.add(figure("val-loss-vs-epoch", "Validation loss", "epoch", "validation loss", runs, legend, null,
        Epoch::valLoss));
    figures.add(figure("val-error-vs-epoch", "Validation error", "epoch", "validation error", runs, legend, null,
        Epoch::valError));
    figures.add(figure("train-loss-vs-time", "Training loss against " + (training ? "training time" : "time"), time,
        "training loss", runs, legend, training, Epoch::trainLoss));
    figures.add(figure("val-loss-vs-time", "Validation loss against " + (training ? "training time" : "time"), time,
        "validation loss", runs, legend, training, Epoch::valLoss));
    figures.add(figure("val-error-vs-time", "Validation error against " + (training ? "training time" : "time"), time,
        "validation error", runs, legend, training, Epoch::valError));
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

  static Map<String, Object> labels(Result r) {
    Object framework = r.info().get("framework");
    if (framework == null) {
      return r.params().values();
    }
    Map<String, Object> out = new LinkedHashMap<>();
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

  /**
   * How each run is drawn: its setting's legend text (empty for the second and later repeats), colour
   * group and line style.
   */
  record Legend(Map<String, String> text, Map<String, Integer> colour, Map<String, Integer> style) {
    static Legend of(List<Result> runs) {
      List<String> varied = variedLabels(runs).stream().filter(n -> !n.equals("seed")).toList();
      String styleBy = varied.contains("framework") && varied.size() > 1 ? "framework"
          : varied.size() == 2 && distinct(runs, varied.get(1)) <= Charts.STYLES ? varied.get(1) : null;
      String colourBy = varied.size() <= 2 ? varied.stream().filter(n -> !n.equals(styleBy)).findFirst().orElse(null)
          : null;
      Map<String, List<Result>> settings = new LinkedHashMap<>();
      for (Result r : runs) {
        settings.computeIfAbsent(label(labels(r), varied, r.id()), k -> new ArrayList<>()).add(r);
      }
      Map<String, String> text = new LinkedHashMap<>();
      Map<String, Integer> colour = new LinkedHashMap<>();
      Map<String, Integer> style = new LinkedHashMap<>();
      List<Object> colours = new ArrayList<>();
      List<Object> styles = new ArrayList<>();
      int index = 0;
      for (Map.Entry<String, List<Result>> setting : settings.entrySet()) {
        List<Result> repeats = setting.getValue();
        long diverged = repeats.stream().filter(r -> r.status() == Status.DIVERGED).count();
        Result first = repeats.get(0);
        // With a colour per setting (random search), the entry starts with the setting's id, as the timeline's
        // bars and the report's tables name it.
        String id = colourBy == null && !setting.getKey().equals(first.id()) ? first.id() + ": " : "";
        String entry = id + setting.getKey() + (repeats.size() > 1 ? " (" + repeats.size() + " runs" + (diverged > 0
            ? ", " + diverged + " diverged" : "") + ")" : diverged > 0 ? " (diverged)" : "");
        Object c = colourBy == null ? index : labels(first).get(colourBy);
        Object s = styleBy == null ? null : labels(first).get(styleBy);
        if (!colours.contains(c)) {
          colours.add(c);
        }
        if (!styles.contains(s)) {
          styles.add(s);
        }
        int colourIndex = colours.indexOf(c);
        int styleIndex = styleBy != null ? styles.indexOf(s)
            : colourBy == null ? (colourIndex / Charts.PALETTE.length) % Charts.STYLES : 0;
        for (int i = 0; i < repeats.size(); i++) {
          String key = key(repeats.get(i));
          text.put(key, i == 0 ? entry : "");
          colour.put(key, colourIndex);
          style.put(key, styleIndex);
        }
        index++;
      }
      return new Legend(text, colour, style);
    }

    static String key(Result r) {
      return r.id() + "|" + r.worker() + "|" + r.finished();
    }

    private static long distinct(List<Result> runs, String name) {
      return runs.stream().map(r -> labels(r).get(name)).distinct().count();
    }
  }

  private static Figure figure(String name, String title, String xLabel, String yLabel, List<Result> runs,
      Legend legend, Boolean training, ToDoubleFunction<Epoch> metric) {
    double[] all = runs.stream().flatMap(r -> r.epochs().stream()).mapToDouble(metric).filter(Double::isFinite)
        .toArray();
    double cap = cap(all);
    double floor = floor(all);
    List<Series> series = new ArrayList<>();
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    double left = Double.POSITIVE_INFINITY;
    double right = 0;
    for (Result r : runs) {
      String key = Legend.key(r);
      List<double[]> points = new ArrayList<>();
      List<double[]> outside = new ArrayList<>();
      List<String> values = new ArrayList<>();
      double clock = 0;
      for (Epoch e : r.epochs()) {
        clock += training == null ? 0 : training ? e.trainSeconds() : 0;
        double x = training == null ? e.epoch() : training ? clock : e.elapsedSeconds();
        double y = metric.applyAsDouble(e);
        if (!Double.isFinite(y)) {
          continue;
        }
        if (y > cap || y < floor) {
          // Drawn as a marker at the edge, not as part of the curve: the line would claim a value it never had.
          outside.add(new double[] {x, y > cap ? Double.POSITIVE_INFINITY : floor});
          values.add(compact(y) + (training == null ? " at epoch " + e.epoch() : ""));
        } else {
          points.add(new double[] {x, y});
          min = y > 0 ? Math.min(min, y) : min;
          max = Math.max(max, y);
          left = x > 0 ? Math.min(left, x) : left;
          right = Math.max(right, x);
        }
      }
      boolean diverged = r.status() == Status.DIVERGED;
      series.add(new Series(legend.text().get(key), legend.colour().get(key), legend.style().get(key),
          points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray(),
          diverged));
      if (!outside.isEmpty()) {
        String who = legend.text().get(key).isEmpty() ? r.id() : legend.text().get(key).replaceAll(" \\(.*\\)$", "");
        series.add(new Series(who + ": " + String.join(", ", values) + " (off the chart)",
            legend.colour().get(key), 0, outside.stream().mapToDouble(p -> p[0]).toArray(),
            outside.stream().mapToDouble(p -> p[1]).toArray(), false, true));
      }
    }
    boolean clipped = series.stream().anyMatch(Series::offChart);
    boolean logY = min > 0 && max / min > 50 && floor == Double.NEGATIVE_INFINITY;
    // Time on a log axis when it spans more than 50x (scenario 4: NF=1's epochs take a hundredth of NF=256's),
    // so that the fast runs are not squeezed against the left edge.
    boolean logX = training != null && left > 0 && right / left > 50;
    // The top edge sits just above the highest value drawn; off-chart markers above the scale sit on it.
    double top = max > 0 ? max * 1.05 : cap;
    List<Series> placed = new ArrayList<>();
    for (Series s : logX ? series.stream().map(LearningCurves::positiveX).toList() : series) {
      if (!s.offChart()) {
        placed.add(s);
        continue;
      }
      double[] y = s.y().clone();
      for (int i = 0; i < y.length; i++) {
        y[i] = Double.isInfinite(y[i]) ? top : y[i];
      }
      placed.add(new Series(s.label(), s.group(), s.style(), s.x(), y, false, true));
    }
    return new Figure(name, title, logX ? xLabel + ", log scale" : xLabel, yLabel, logX, logY, Figure.Kind.LINES,
        clipped && cap < Double.POSITIVE_INFINITY ? top : Double.NaN, placed);
  }

  /** {@code s} without its points at x <= 0, which have no place on a log axis (an epoch timed at 0 s). */
  private static Series positiveX(Series s) {
    int[] keep = java.util.stream.IntStream.range(0, s.x().length).filter(i -> s.x()[i] > 0).toArray();
    return new Series(s.label(), s.group(), s.style(), java.util.Arrays.stream(keep).mapToDouble(i -> s.x()[i]).toArray(),
        java.util.Arrays.stream(keep).mapToDouble(i -> s.y()[i]).toArray(), s.diverged(), s.offChart(), s.tag(),
        s.markers());
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

  /**
   * The bottom of a readable y axis: 0 when nearly every value is non-negative (losses and errors are)
   * and a few overflowed below it; no bound otherwise.
   */
  static double floor(double[] values) {
    long negative = java.util.Arrays.stream(values).filter(v -> v < 0).count();
    return negative > 0 && negative * 20 <= values.length ? 0 : Double.NEGATIVE_INFINITY;
  }

  /** Four significant digits without trailing zeros: 0.001, 0.05, 2. */
  public static String number(double d) {
    return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A number for a legend: four significant digits, powers of ten past 1e5: 0.05, 1.42e9, -1.88e11. */
  static String compact(double d) {
    if (d != 0 && (Math.abs(d) >= 1e5 || Math.abs(d) < 1e-4)) {
      String s = String.format(java.util.Locale.ROOT, "%.3g", d);
      return s.replaceAll("\\.?0+e", "e").replace("e+0", "e").replace("e+", "e").replace("e-0", "e-");
    }
    return number(d);
  }

  static String label(Map<String, Object> params, List<String> varied, String id) {
    if (varied.isEmpty()) {
      return id;
    }
    StringBuilder text = new StringBuilder();
    for (String name : varied) {
      Object v = params.get(name);
      if (v == null) {
        continue; // a result without the name (no framework recorded): the others' labels say theirs
      }
      text.append(text.length() == 0 ? "" : " ").append(name).append('=')
          .append(v instanceof Double d ? number(d) : Objects.toString(v));
    }
    return text.length() == 0 ? id : text.toString();
  }
}
