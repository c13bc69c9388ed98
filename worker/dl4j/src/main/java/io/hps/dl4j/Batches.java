package io.hps.dl4j;

import io.hps.data.Dataset;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Minibatches as ND4J arrays, in an order drawn from the trial's own random generator. */
final class Batches {
  private Batches() {}

  static int[] shuffled(int n, SplittableRandom random) {
    return io.hps.random.Shuffle.permutation(n, random);
  }

  static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Feature rows {@code order[from .. from + n)} as an {@code n x columns} array. */
  static INDArray features(Dataset data, int[] order, int from, int n) {
    int c = data.columns();
    float[] out = new float[n * c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(data.features(), order[from + i] * c, out, i * c, c);
    }
    return Nd4j.create(out, new long[] {n, c}, 'c');
  }

  /** One-hot labels of rows {@code order[from .. from + n)}. */
  static INDArray oneHot(Dataset data, int[] order, int from, int n) {
    int k = data.classes();
    float[] out = new float[n * k];
    for (int i = 0; i < n; i++) {
      out[i * k + data.labels()[order[from + i]]] = 1f;
    }
    return Nd4j.create(out, new long[] {n, k}, 'c');
  }

  /** Probabilities as a flat row-major float array. */
  static float[] flat(INDArray probs) {
    float[][] rows = probs.toFloatMatrix();
    int k = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[rows.length * k];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * k, k);
    }
    return out;
  }
}
