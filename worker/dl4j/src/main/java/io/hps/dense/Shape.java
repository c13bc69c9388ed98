package io.hps.dense;

import java.util.Arrays;
import java.util.Locale;

/**
 * The network shapes of the BUTTER dataset. {@code depth} counts the dense layers, the output layer
 * included, so a net of depth d has d - 1 hidden layers; {@code w} is the width of the first hidden layer
 * (of the others for the wide-first shapes).
 */
public enum Shape {
  /** Every hidden layer has width w. */
  RECTANGLE,
  /** Widths fall linearly from w towards the output width. */
  TRAPEZOID,
  /** Widths fall geometrically from w towards the output width. */
  EXPONENTIAL,
  /** Rectangle whose first layer is 2, 4, 8 or 16 times wider. */
  WIDE_FIRST_2X, WIDE_FIRST_4X, WIDE_FIRST_8X, WIDE_FIRST_16X,
  /** Rectangle with a residual (identity) connection around every hidden layer after the first. */
  RECTANGLE_RESIDUAL;

  /** The name used in settings: {@code wide_first_2x}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Shape parse(String text) {
    for (Shape s : values()) {
      if (s.json().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown shape '" + text + "' (known: "
        + Arrays.stream(values()).map(Shape::json).toList() + ")");
  }

  public boolean residual() {
    return this == RECTANGLE_RESIDUAL;
  }

  /** Hidden-layer widths for base width {@code w}, depth {@code depth} and {@code outputs} classes. */
  public int[] widths(int w, int depth, int outputs) {
    int hidden = depth - 1;
    int[] widths = new int[hidden];
    for (int i = 0; i < hidden; i++) {
      double t = (double) i / hidden;
      widths[i] = switch (this) {
        case TRAPEZOID -> (int) Math.round(w + (outputs - w) * t);
        case EXPONENTIAL -> (int) Math.round(w * Math.pow((double) outputs / w, t));
        case WIDE_FIRST_2X -> i == 0 ? 2 * w : w;
        case WIDE_FIRST_4X -> i == 0 ? 4 * w : w;
        case WIDE_FIRST_8X -> i == 0 ? 8 * w : w;
        case WIDE_FIRST_16X -> i == 0 ? 16 * w : w;
        case RECTANGLE, RECTANGLE_RESIDUAL -> w;
      };
      widths[i] = Math.max(1, widths[i]);
    }
    return widths;
  }
}
