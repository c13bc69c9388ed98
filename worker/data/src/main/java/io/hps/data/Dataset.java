package io.hps.data;

/**
 * Examples as a row-major feature matrix ({@code rows x columns}, scaled to about [0, 1]) and integer
 * class labels in {@code [0, classes)}.
 */
public record Dataset(float[] features, int[] labels, int rows, int columns, int classes) {
  public Dataset {
    if (features.length != (long) rows * columns || labels.length != rows) {
      throw new IllegalArgumentException("dataset arrays do not match " + rows + " x " + columns);
    }
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
      }
    }
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a new dataset. */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IllegalArgumentException("rows " + from + ".." + to + " outside 0.." + rows);
    }
    float[] f = java.util.Arrays.copyOfRange(features, from * columns, to * columns);
    return new Dataset(f, java.util.Arrays.copyOfRange(labels, from, to), to - from, columns, classes);
  }
}
