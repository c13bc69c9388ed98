package io.hps.dense;

import java.util.Arrays;

/**
 * A dense network: input size, hidden widths, output size, and its exact number of trainable
 * parameters (weights and biases of every layer, output included), as BUTTER records them.
 */
public record Topology(Shape shape, int inputs, int[] widths, int outputs, long parameters) {
  public Topology {
    widths = widths.clone();
  }

  /** Counts weights and biases: the sum over layers of {@code in * out + out}. */
  public static long parameters(int inputs, int[] widths, int outputs) {
    long count = 0;
    int in = inputs;
    for (int w : widths) {
      count += (long) in * w + w;
      in = w;
    }
    return count + (long) in * outputs + outputs;
  }

  /**
   * The topology of {@code shape} and {@code depth} whose parameter count is closest to {@code size}
   * (the smaller width on a tie).
   */
  public static Topology solve(Shape shape, int depth, long size, int inputs, int outputs) {
    if (depth < 2) {
      throw new IllegalArgumentException("depth counts the output layer, so it must be at least 2, not " + depth);
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be a positive number of parameters, not " + size);
    }
    int low = 1;
    int high = 1;
    while (count(shape, high, depth, inputs, outputs) < size && high < (1 << 24)) {
      high *= 2;
    }
    while (low < high) { // smallest w with count >= size
      int mid = (low + high) >>> 1;
      if (count(shape, mid, depth, inputs, outputs) < size) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    int best = low;
    if (low > 1 && size - count(shape, low - 1, depth, inputs, outputs)
        <= count(shape, low, depth, inputs, outputs) - size) {
      best = low - 1;
    }
    int[] widths = shape.widths(best, depth, outputs);
    return new Topology(shape, inputs, widths, outputs, parameters(inputs, widths, outputs));
  }

  private static long count(Shape shape, int w, int depth, int inputs, int outputs) {
    return parameters(inputs, shape.widths(w, depth, outputs), outputs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Topology t && t.shape == shape && t.inputs == inputs && Arrays.equals(t.widths, widths)
        && t.outputs == outputs && t.parameters == parameters;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(widths) * 31 + Long.hashCode(parameters);
  }

  @Override
  public String toString() {
    return shape.json() + " " + inputs + "-" + Arrays.toString(widths) + "-" + outputs + " (" + parameters
        + " parameters)";
  }
}
