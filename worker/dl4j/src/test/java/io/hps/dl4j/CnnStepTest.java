package io.hps.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hps.data.Split;
import io.hps.space.Params;
import io.hps.trainer.Trial;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The op-by-op network computes what SameDiff's graph computes: the same loss, gradients and probabilities. */
class CnnStepTest {
  @BeforeAll
  static void nd4j() {
    Nd4jStart.once(Trial.of(new Params(Map.of("model", "cnn")), CnnTrainerTest.TINY));
  }

  private static Split split() throws Exception {
    return Mnists.of(Trial.of(new Params(Map.of("model", "cnn")), CnnTrainerTest.TINY)).split(700, 100);
  }

  private static float[] mask(SplittableRandom random, int length) {
    float[] m = new float[length];
    for (int i = 0; i < length; i++) {
      m[i] = random.nextBoolean() ? 2f : 0f;
    }
    return m;
  }

  @Test
  void lossAndGradientsEqualSameDiffs() throws Exception {
    Split split = split();
    for (int nf : new int[] {1, 4}) {
      SplittableRandom random = new SplittableRandom(7);
      try (CnnGraph graph = new CnnGraph(nf, 0.5, random)) {
        int[] order = Batches.shuffled(700, random);
        // batch sizes with their own arrays; the last spans two whole chunks of patches and a part of one
        for (int n : new int[] {50, 37, 2 * CnnStep.PATCH_CHUNK + 37}) {
          int from = 60;
          float[] mask1 = mask(random, n * nf * 16);
          float[] mask2 = mask(random, n * 256);
          try (INDArray x = Batches.features(split.train(), order, from, n);
              INDArray y = Batches.oneHot(split.train(), order, from, n);
              INDArray m1 = Nd4j.create(mask1, new long[] {n, nf * 16}, 'c');
              INDArray m2 = Nd4j.create(mask2, new long[] {n, 256}, 'c');
              CnnGraph.Result expected = graph.sameDiffStep(x, y, m1, m2);
              INDArray flat = Nd4j.create(DataType.FLOAT, graph.parameterCount());
              CnnStep direct = new CnnStep(nf, graph.weights(), flat)) {
            direct.train(split.train(), order, 0, n, mask1, mask2); // other rows first: nothing may carry over
            double loss = direct.train(split.train(), order, from, n, mask1, mask2);
            String what = "nf=" + nf + " n=" + n;
            assertThat(loss).as("loss, " + what).isCloseTo(expected.loss(), within(1e-4));
            for (String name : expected.gradients().keySet()) {
              INDArray e = expected.gradients().get(name);
              INDArray a = direct.gradients().get(name);
              assertThat(a.shape()).as(name).isEqualTo(e.shape());
              double scale = Math.max(1e-6, e.norm2Number().doubleValue());
              double diff = a.sub(e).norm2Number().doubleValue();
              assertThat(diff / scale).as("relative difference of " + name + ", " + what).isLessThan(1e-4);
            }
          }
        }
      }
    }
  }

  @Test
  void probabilitiesEqualSameDiffs() throws Exception {
    Split split = split();
    try (CnnGraph graph = new CnnGraph(3, 0.5, new SplittableRandom(3));
        INDArray flat = Nd4j.create(DataType.FLOAT, graph.parameterCount());
        CnnStep direct = new CnnStep(3, graph.weights(), flat)) {
      int[] order = Batches.identity(100);
      int n = 100;
      float[] expected;
      try (INDArray x = Batches.features(split.validation(), order, 0, n)) {
        expected = graph.sameDiffProbabilities(x);
      }
      float[] actual = new float[n * 10];
      direct.probabilities(split.validation(), order, 0, n, actual);
      assertThat(actual).containsExactly(expected, within(1e-5f));
    }
  }
}
