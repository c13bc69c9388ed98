package io.hps.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a figure: the range it shows (the data's, with a small margin), the values it labels, and on
 * a log axis the unlabelled ticks between them. The labels are readable at a glance: a log axis gets
 * labels between its powers of ten (2 and 5, or more) until it has at least four, a linear one about six
 * round values; labels never overlap (measured in pixels), and all labels of an axis share one notation
 * (plain decimals, or powers of ten such as {@code 1e-6} for all of them when some value needs one).
 *
 * @param lo the axis' low end
 * @param hi its high end
 * @param log whether it is logarithmic
 * @param ticks the labelled values, ascending
 * @param labels their labels
 * @param minor unlabelled values (light grid lines)
 */
record Axis(double lo, double hi, boolean log, List<Double> ticks, List<String> labels, List<Double> minor) {
  /** Multipliers of the powers of ten a log axis may label, sparsest first. */
  private static final double[][] LOG_STEPS = {{1}, {1, 2, 5}, {1, 2, 3, 5}, {1, 1.5, 2, 3, 4, 5, 6, 8},
      {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}};

  /** Text size of tick labels, in pixels. */
  static final double TEXT = 11;

  /**
   * The axis for data from {@code min} to {@code max} ({@code NaN}s when there is none) over
   * {@code pixels}; {@code whole} labels only whole numbers (epochs, counts), {@code horizontal} says which
   * way the labels are laid out. {@code margin} widens the range by that fraction on each side.
   */
  static Axis of(double min, double max, boolean log, boolean whole, double pixels, boolean horizontal,
      double margin) {
    double lo = min;
    double hi = max;
    if (!(lo <= hi) || log && !(lo > 0)) {
      lo = log ? 1 : 0;
      hi = log ? 10 : 1;
    }
    if (lo == hi) {
      lo = log ? lo / 2 : lo - (whole ? 1 : Math.max(Math.abs(lo) * 0.1, 0.5));
      hi = log ? hi * 2 : hi + (whole ? 1 : Math.max(Math.abs(hi) * 0.1, 0.5));
    }
    if (log) {
      double f = Math.pow(hi / lo, margin);
      lo /= f;
      hi *= f;
    } else {
      double d = margin * (hi - lo);
      lo -= d;
      hi += d;
    }
    return log ? logTicks(lo, hi, whole, pixels, horizontal) : linearTicks(lo, hi, whole, pixels, horizontal);
  }

  /** The position of {@code v} along the axis, 0 at {@code lo} and 1 at {@code hi}. */
  double fraction(double v) {
    return log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
  }

  private static Axis linearTicks(double lo, double hi, boolean whole, double pixels, boolean horizontal) {
    double raw = (hi - lo) / 6;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double[] nice = {1, 2, 2.5, 5, 10, 20, 25, 50, 100};
    Axis best = null;
    for (double m : nice) {
      double step = m * power;
      if (whole && step < 1) {
        continue;
      }
      if (whole) {
        step = Math.rint(step);
      }
      List<Double> ticks = new ArrayList<>();
      for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
        ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
      }
      Axis axis = new Axis(lo, hi, false, ticks, linearLabels(ticks, step), List.of());
      best = axis;
      if (ticks.size() <= 9 && axis.fits(pixels, horizontal)) {
        return axis;
      }
    }
    if (best == null) { // a whole-number axis narrower than one: its one value
      List<Double> one = List.of((double) Math.round((lo + hi) / 2));
      return new Axis(lo, hi, false, one, linearLabels(one, 1), List.of());
    }
    return best;
  }

  private static Axis logTicks(double lo, double hi, boolean whole, double pixels, boolean horizontal) {
    Axis chosen = null;
    for (double[] steps : LOG_STEPS) {
      List<Double> ticks = logValues(lo, hi, steps, 1);
      if (whole) {
        ticks.removeIf(v -> v != Math.rint(v));
      }
      Axis axis = new Axis(lo, hi, true, ticks, logLabels(ticks), List.of());
      if (!axis.fits(pixels, horizontal) || ticks.size() > 12) {
        break; // denser sets only overlap more
      }
      chosen = axis;
      if (ticks.size() >= 4) {
        break;
      }
    }
    if (chosen == null) {
      // Many decades: every second, third, ... power of ten.
      for (int stride = 2; chosen == null; stride++) {
        List<Double> ticks = logValues(lo, hi, new double[] {1}, stride);
        Axis axis = new Axis(lo, hi, true, ticks, logLabels(ticks), List.of());
        if (axis.fits(pixels, horizontal) || ticks.size() <= 2) {
          chosen = axis;
        }
      }
    }
    List<Double> minor = logValues(lo, hi, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1);
    minor.removeAll(chosen.ticks());
    return new Axis(lo, hi, true, chosen.ticks(), chosen.labels(), minor.size() > 120 ? List.of() : minor);
  }

  private static List<Double> logValues(double lo, double hi, double[] steps, int stride) {
    List<Double> out = new ArrayList<>();
    int first = (int) Math.floor(Math.log10(lo));
    for (int k = first; k <= Math.ceil(Math.log10(hi)); k++) {
      if (Math.floorMod(k, stride) != 0) {
        continue;
      }
      for (double m : steps) {
        // Built from a decimal string, so 3 x 10^-2 is 0.03, not 0.030000000000000002.
        double v = Double.parseDouble(m + "e" + k);
        if (v >= lo && v <= hi) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** Whether the labels leave room between each other along {@code pixels}. */
  boolean fits(double pixels, boolean horizontal) {
    for (int i = 1; i < ticks.size(); i++) {
      double gap = (fraction(ticks.get(i)) - fraction(ticks.get(i - 1))) * pixels;
      double needed = horizontal ? (Canvas.width(labels.get(i), TEXT, false) + Canvas.width(labels.get(i - 1), TEXT,
          false)) / 2 + 10 : TEXT + 5;
      if (gap < needed) {
        return false;
      }
    }
    return true;
  }

  /** Plain decimals with as many places as the step needs, or powers of ten for all when some value needs them. */
  static List<String> linearLabels(List<Double> ticks, double step) {
    double largest = ticks.stream().mapToDouble(Math::abs).max().orElse(0);
    if (largest >= 1e6 || largest > 0 && largest < 1e-3) {
      return scientific(ticks);
    }
    int places = 0;
    while (places < 10 && Math.abs(step * Math.pow(10, places) - Math.rint(step * Math.pow(10, places))) > 1e-6) {
      places++;
    }
    String format = "%." + places + "f";
    return ticks.stream().map(v -> String.format(Locale.ROOT, format, v)).toList();
  }

  /** Each value with the digits it needs (0.015, 20), or powers of ten for all when some value needs them. */
  static List<String> logLabels(List<Double> ticks) {
    if (ticks.stream().anyMatch(v -> v >= 1e6 || v < 1e-4)) {
      return scientific(ticks);
    }
    return ticks.stream().map(v -> new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros()
        .toPlainString()).toList();
  }

  private static List<String> scientific(List<Double> ticks) {
    return ticks.stream().map(v -> v == 0 ? "0" : String.format(Locale.ROOT, "%.2e", v)
        .replaceAll("\\.?0+e", "e").replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")).toList();
  }
}
